# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rsops_global_optspecs
    string join \n v/version d/decrypt e/encrypt r/rotate set= i/in-place output= extract= input-type= output-type= filename-override= k/kms= gcp-kms= hckms= azure-kv= hc-vault-transit= p/pgp= a/age= add-kms= rm-kms= add-gcp-kms= rm-gcp-kms= add-hckms= rm-hckms= add-azure-kv= rm-azure-kv= add-hc-vault-transit= rm-hc-vault-transit= add-pgp= rm-pgp= add-age= rm-age= aws-profile= encryption-context= unencrypted-suffix= encrypted-suffix= unencrypted-regex= encrypted-regex= unencrypted-comment-regex= encrypted-comment-regex= mac-only-encrypted shamir-secret-sharing-threshold= ignore-mac indent= config= decryption-order= s/show-master-keys reuse-ciphertext-from= keyservice= enable-local-keyservice= verbose disable-version-check check-for-updates h/help
end

function __fish_rsops_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rsops_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rsops_using_subcommand
    set -l cmd (__fish_rsops_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rsops -n "__fish_rsops_needs_command" -l set -d 'Legacy mode: set a value, e.g. --set \'["key"][0] {"v":true}\'' -r
complete -c rsops -n "__fish_rsops_needs_command" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_needs_command" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_needs_command" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_needs_command" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_needs_command" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_needs_command" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_needs_command" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_needs_command" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_needs_command" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_needs_command" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_needs_command" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_needs_command" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_needs_command" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_needs_command" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_needs_command" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_needs_command" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_needs_command" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_needs_command" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_needs_command" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_needs_command" -s v -l version -d 'Print the version (-v as in sops, -V as in most tools)'
complete -c rsops -n "__fish_rsops_needs_command" -s d -l decrypt -d 'Legacy mode: decrypt FILE'
complete -c rsops -n "__fish_rsops_needs_command" -s e -l encrypt -d 'Legacy mode: encrypt FILE'
complete -c rsops -n "__fish_rsops_needs_command" -s r -l rotate -d 'Legacy mode: generate a new data key and re-encrypt FILE'
complete -c rsops -n "__fish_rsops_needs_command" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_needs_command" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_needs_command" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_needs_command" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_needs_command" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_needs_command" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_needs_command" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_needs_command" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_needs_command" -a "encrypt" -d 'Encrypt a file and print the result (stdin when FILE is - or absent)'
complete -c rsops -n "__fish_rsops_needs_command" -a "decrypt" -d 'Decrypt a file and print the result (stdin when FILE is - or absent)'
complete -c rsops -n "__fish_rsops_needs_command" -a "rotate" -d 'Generate a new data key and re-encrypt every value, optionally changing recipients'
complete -c rsops -n "__fish_rsops_needs_command" -a "edit" -d 'Edit a file in $SOPS_EDITOR / $EDITOR; a new file starts from an example'
complete -c rsops -n "__fish_rsops_needs_command" -a "set" -d 'Set one value: rsops set FILE \'["a"]["b"]\' \'"json value"\''
complete -c rsops -n "__fish_rsops_needs_command" -a "unset" -d 'Remove one key or list element: rsops unset FILE \'["a"]["b"]\''
complete -c rsops -n "__fish_rsops_needs_command" -a "exec-env" -d 'Run a command with the file\'s top-level values in its environment'
complete -c rsops -n "__fish_rsops_needs_command" -a "exec-file" -d 'Run a command with the decrypted file at the place of {} (a FIFO by default)'
complete -c rsops -n "__fish_rsops_needs_command" -a "filestatus" -d 'Report whether a file is encrypted, as JSON: {"encrypted": true}'
complete -c rsops -n "__fish_rsops_needs_command" -a "updatekeys" -d 'Make the file\'s recipients match its creation rule in .sops.yaml'
complete -c rsops -n "__fish_rsops_needs_command" -a "groups" -d 'Add or delete key groups'
complete -c rsops -n "__fish_rsops_needs_command" -a "diff" -d 'Decrypt two files and print a unified diff of the plaintexts (exit 0: equal, 1: different)'
complete -c rsops -n "__fish_rsops_needs_command" -a "merge-driver" -d 'Git merge driver: merge encrypted files key by key; conflicts leave ours encrypted'
complete -c rsops -n "__fish_rsops_needs_command" -a "check" -d 'Check that files are encrypted and their MACs verify (pre-commit, CI)'
complete -c rsops -n "__fish_rsops_needs_command" -a "secret" -d '`rsops secret` kinds'
complete -c rsops -n "__fish_rsops_needs_command" -a "publish" -d 'Publish encrypted files to the destination of their .sops.yaml destination_rules (S3, GCS, Vault KV)'
complete -c rsops -n "__fish_rsops_needs_command" -a "keyservice" -d 'Run a key service: a gRPC server that encrypts and decrypts data keys for sops and rsops clients (--keyservice)'
complete -c rsops -n "__fish_rsops_needs_command" -a "manpage" -d 'Print the man page (roff)'
complete -c rsops -n "__fish_rsops_needs_command" -a "completion" -d 'Print a shell completion script'
complete -c rsops -n "__fish_rsops_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -l recursive -d 'Process the files in directories, recursively'
complete -c rsops -n "__fish_rsops_using_subcommand encrypt" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -l recursive -d 'Process the files in directories, recursively'
complete -c rsops -n "__fish_rsops_using_subcommand decrypt" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -l recursive -d 'Process the files in directories, recursively'
complete -c rsops -n "__fish_rsops_using_subcommand rotate" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand edit" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand edit" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand edit" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand edit" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand set" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand set" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand set" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l value-file -d 'Read the value from this file'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l value-stdin -d 'Read the value from stdin'
complete -c rsops -n "__fish_rsops_using_subcommand set" -l idempotent -d 'Do not write the file when the value is already set'
complete -c rsops -n "__fish_rsops_using_subcommand set" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand unset" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -l idempotent -d 'Succeed without writing when the key does not exist'
complete -c rsops -n "__fish_rsops_using_subcommand unset" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l user -d 'Run the command as this user' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l pristine -d 'Do not inherit the environment: only the file\'s values'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l background -d 'Background the command and do not wait for it (deprecated in sops)'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -l same-process -d 'Replace rsops with the command instead of running a child'
complete -c rsops -n "__fish_rsops_using_subcommand exec-env" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l user -d 'Run the command as this user' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l filename -d 'Name of the temporary file (default tmp-file)' -r
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l no-fifo -d 'Use a regular file (mode 0600) instead of a FIFO'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -l background -d 'Background the command and do not wait for it (deprecated in sops)'
complete -c rsops -n "__fish_rsops_using_subcommand exec-file" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand filestatus" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -l recursive -d 'Process the encrypted files in directories, recursively'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -s y -l yes -d 'Apply the changes without asking'
complete -c rsops -n "__fish_rsops_using_subcommand updatekeys" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -f -a "add" -d 'Add a key group made of the keys given with --age, --pgp, …'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -f -a "delete" -d 'Delete the key group at INDEX (0-based)'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and not __fish_seen_subcommand_from add delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -s f -l file -d 'The encrypted file' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -s f -l file -d 'The encrypted file' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a key group made of the keys given with --age, --pgp, …'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete the key group at INDEX (0-based)'
complete -c rsops -n "__fish_rsops_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand diff" -s U -l unified -d 'Lines of context around each change' -r
complete -c rsops -n "__fish_rsops_using_subcommand diff" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand diff" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand diff" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand diff" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -l allow-key-change -d 'Accept a change of data key or recipients made on one side (the result is then encrypted for that side\'s key and recipients)'
complete -c rsops -n "__fish_rsops_using_subcommand merge-driver" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand check" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand check" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand check" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand check" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand check" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand check" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand check" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand check" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand check" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand check" -l only-matching -d 'Skip the files given that no creation rule\'s path_regex matches (for pre-commit)'
complete -c rsops -n "__fish_rsops_using_subcommand check" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -f -a "generic" -d 'A Secret whose data keys come from encrypted files'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and not __fish_seen_subcommand_from generic help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l from-file -d '[KEY=]FILE: the whole decrypted file under KEY (default: the file\'s name); a directory adds each file in it' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l from-env-file -d 'A decrypted dotenv file: one data key per KEY=value line (kubectl\'s env-file rules)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l from-keys -d 'A decrypted YAML, JSON, dotenv or INI file: one data key per top-level key (strings as they are, numbers and booleans as text, maps and lists in the file\'s format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l type -d 'The Secret\'s type (e.g. kubernetes.io/tls); omitted when not given, as in kubectl' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -s n -l namespace -d 'The Secret\'s namespace' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l label -d 'A label KEY=VALUE (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l annotation -d 'An annotation KEY=VALUE (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from generic" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "generic" -d 'A Secret whose data keys come from encrypted files'
complete -c rsops -n "__fish_rsops_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand publish" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -s y -l yes -d 'Publish without asking for each file'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l omit-extensions -d 'Leave the file extension out of the destination name'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -l recursive -d 'Publish every file under a directory (destination names keep their relative paths)'
complete -c rsops -n "__fish_rsops_using_subcommand publish" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l network -l net -d 'Network to listen on: tcp (also tcp4, tcp6) or unix' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l address -l addr -d 'Address to listen on: HOST:PORT for tcp, a socket path for unix' -r
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l prompt -d 'Ask on the terminal before answering each request'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -l allow-remote -d 'Allow a TCP address that is not loopback (no TLS, no authentication: anyone who can connect can decrypt)'
complete -c rsops -n "__fish_rsops_using_subcommand keyservice" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand manpage" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l output -d 'Save the output to the file specified' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l extract -d 'Extract a specific key or branch from the input document, e.g. \'["somekey"][0]\'' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l input-type -d 'Input format: json, yaml, dotenv, ini or binary (default: from the extension)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l output-type -d 'Output format: json, yaml, dotenv, ini or binary (default: the input format)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l filename-override -d 'Use this file name instead of the argument for the config and the formats (needed when reading stdin)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -s k -l kms -d 'Comma separated list of AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l gcp-kms -d 'Comma separated list of GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l hckms -d 'Comma separated list of HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l azure-kv -d 'Comma separated list of Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l hc-vault-transit -d 'Comma separated list of Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -s p -l pgp -d 'Comma separated list of PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -s a -l age -d 'Comma separated list of age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l add-kms -d 'Add AWS KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l rm-kms -d 'Remove AWS KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l add-gcp-kms -d 'Add GCP KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l rm-gcp-kms -d 'Remove GCP KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l add-hckms -d 'Add HuaweiCloud KMS keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l rm-hckms -d 'Remove HuaweiCloud KMS keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l add-azure-kv -d 'Add Azure Key Vault keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l rm-azure-kv -d 'Remove Azure Key Vault keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l add-hc-vault-transit -d 'Add Vault transit keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l rm-hc-vault-transit -d 'Remove Vault transit keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l add-pgp -d 'Add PGP keys (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l rm-pgp -d 'Remove PGP keys (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l add-age -d 'Add age recipients (comma separated) to the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l rm-age -d 'Remove age recipients (comma separated) from the file\'s keys (rotate)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l aws-profile -d 'The AWS profile to use for requests to AWS' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l encryption-context -d 'Comma separated list of KMS encryption context key:value pairs' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l unencrypted-suffix -d 'Keys whose name ends with this suffix stay unencrypted (default _unencrypted)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l encrypted-suffix -d 'Only keys whose name ends with this suffix are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l unencrypted-regex -d 'Keys matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l encrypted-regex -d 'Only keys matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l unencrypted-comment-regex -d 'Values preceded by a comment matching this regex stay unencrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l encrypted-comment-regex -d 'Only values preceded by a comment matching this regex are encrypted' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l shamir-secret-sharing-threshold -d 'Number of key groups required to recover the data key' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l indent -d 'Number of spaces to indent YAML or JSON output' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l config -d 'Path to the config file (default: .sops.yaml found upwards from the working directory)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l decryption-order -d 'Comma separated list of key types, tried in this order when decrypting' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l reuse-ciphertext-from -d 'encrypt: reuse the data key, recipients and unchanged ciphertexts of this encrypted file; if no value changed, its bytes are written unchanged' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l keyservice -d 'Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)' -r
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l enable-local-keyservice -d 'Use the local key service (this process\'s own keys) first; false: only the --keyservice ones' -r -f -a "true\t''
false\t''"
complete -c rsops -n "__fish_rsops_using_subcommand completion" -s i -l in-place -d 'Write output back to the same file instead of stdout'
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l mac-only-encrypted -d 'Compute the MAC only over values which end up encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l ignore-mac -d 'Ignore the Message Authentication Code during decryption'
complete -c rsops -n "__fish_rsops_using_subcommand completion" -s s -l show-master-keys -d 'Display master keys in the file during editing'
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l verbose -d 'Enable verbose logging to stderr (never shows secrets)'
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l disable-version-check -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand completion" -l check-for-updates -d 'Accepted for compatibility with sops; rsops never checks for updates'
complete -c rsops -n "__fish_rsops_using_subcommand completion" -s h -l help -d 'Print help'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "encrypt" -d 'Encrypt a file and print the result (stdin when FILE is - or absent)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "decrypt" -d 'Decrypt a file and print the result (stdin when FILE is - or absent)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "rotate" -d 'Generate a new data key and re-encrypt every value, optionally changing recipients'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "edit" -d 'Edit a file in $SOPS_EDITOR / $EDITOR; a new file starts from an example'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "set" -d 'Set one value: rsops set FILE \'["a"]["b"]\' \'"json value"\''
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "unset" -d 'Remove one key or list element: rsops unset FILE \'["a"]["b"]\''
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "exec-env" -d 'Run a command with the file\'s top-level values in its environment'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "exec-file" -d 'Run a command with the decrypted file at the place of {} (a FIFO by default)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "filestatus" -d 'Report whether a file is encrypted, as JSON: {"encrypted": true}'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "updatekeys" -d 'Make the file\'s recipients match its creation rule in .sops.yaml'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "groups" -d 'Add or delete key groups'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "diff" -d 'Decrypt two files and print a unified diff of the plaintexts (exit 0: equal, 1: different)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "merge-driver" -d 'Git merge driver: merge encrypted files key by key; conflicts leave ours encrypted'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "check" -d 'Check that files are encrypted and their MACs verify (pre-commit, CI)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "secret" -d 'Build a Kubernetes Secret manifest from encrypted files (like kubectl create secret)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "publish" -d 'Publish encrypted files to the destination of their .sops.yaml destination_rules (S3, GCS, Vault KV)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "keyservice" -d 'Run a key service: a gRPC server that encrypts and decrypts data keys for sops and rsops clients (--keyservice)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "manpage" -d 'Print the man page (roff)'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "completion" -d 'Print a shell completion script'
complete -c rsops -n "__fish_rsops_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt rotate edit set unset exec-env exec-file filestatus updatekeys groups diff merge-driver check secret publish keyservice manpage completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
