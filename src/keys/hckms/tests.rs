use super::*;
use crate::keys::{from_proto, to_proto, KeySource, MasterKey};

const ID1: &str = "tr-west-1:12345678-1234-1234-1234-123456789abc";
const ID2: &str = "tr-west-1:87654321-4321-4321-4321-cba987654321";

fn no_file() -> (String, RegionsFile) {
    (String::new(), RegionsFile::new())
}

/// The two vectors of the SDK's own signer test
/// (`core/auth/signer/signer_test.go`, `TestSigner_Sign`).
#[test]
#[cfg(feature = "huaweicloud")]
fn signatures_match_the_sdk_test_vectors() {
    // test1: GET /path?limit=1, no body; TEST_UNDERSCORE is not signed.
    let headers = [
        ("X-Sdk-Date", "20060102T150405Z"),
        ("TEST_UNDERSCORE", "TEST_VALUE"),
    ];
    assert_eq!(
        sign(
            "GET",
            "/path",
            &[("limit", "1")],
            &headers,
            b"",
            "AccessKey",
            b"SecretKey"
        ),
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, \
         Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
    );
    // test2: POST /path?key=value, a JSON body as Go's encoder writes it
    // (trailing LF); Content-Type is not signed.
    let headers = [
        ("X-Sdk-Date", "20060102T150405Z"),
        ("TEST_UNDERSCORE", "TEST_VALUE"),
        ("Content-Type", "application/json"),
    ];
    assert_eq!(
        sign(
            "POST",
            "/path",
            &[("key", "value")],
            &headers,
            b"{\"Name\":\"test\",\"Id\":1}\n",
            "AccessKey",
            b"SecretKey"
        ),
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, \
         Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"
    );
}

/// The SDK's `TestSigner_canonicalQueryString`.
#[test]
#[cfg(feature = "huaweicloud")]
fn canonical_query_like_the_sdk() {
    assert_eq!(
        canonical_query(&[
            ("limit", "1"),
            ("enable", "true"),
            ("test", "一 (&=?!#%.*)"),
            ("path", "/tmp/123"),
            ("multi", "3"),
            ("multi", "1"),
            ("multi", "2"),
        ]),
        "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
    );
}

#[test]
#[cfg(feature = "huaweicloud")]
fn canonical_request_of_a_kms_call() {
    let headers = [
        ("User-Agent", "rsops/x"),
        ("X-Sdk-Date", "20250101T000000Z"),
        ("Content-Type", "application/json;charset=UTF-8"),
        ("X-Project-Id", "0123abcd"),
        ("X-Security-Token", " tok "),
    ];
    let cr = canonical_request(
        "POST",
        "/v1.0/0123abcd/kms/encrypt-data",
        &[],
        &headers,
        b"",
    );
    assert_eq!(
        cr,
        "POST\n/v1.0/0123abcd/kms/encrypt-data/\n\n\
         user-agent:rsops/x\nx-project-id:0123abcd\nx-sdk-date:20250101T000000Z\nx-security-token:tok\n\n\
         user-agent;x-project-id;x-sdk-date;x-security-token\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(canonical_uri("/a b/c%"), "/a%20b/c%25/");
    assert_eq!(canonical_uri(""), "/");
}

/// sops' own cases (`hckms/keysource_test.go`) and its error texts.
#[test]
fn key_ids_parse_like_sops() {
    assert_eq!(
        parse_key_id(ID1).unwrap(),
        ("tr-west-1", "12345678-1234-1234-1234-123456789abc")
    );
    assert_eq!(
        parse_key_id(" tr-west-1 : 12345678-1234-1234-1234-123456789abc ").unwrap(),
        ("tr-west-1", "12345678-1234-1234-1234-123456789abc")
    );
    assert_eq!(
        parse_key_id("tr-west-1-12345678-1234-1234-1234-123456789abc").unwrap_err().to_string(),
        "invalid key ID format: expected 'region:key-uuid', got \"tr-west-1-12345678-1234-1234-1234-123456789abc\""
    );
    assert_eq!(
        parse_key_id("").unwrap_err().to_string(),
        "invalid key ID format: expected 'region:key-uuid', got \"\""
    );
    assert_eq!(
        parse_key_id(":12345678-1234-1234-1234-123456789abc")
            .unwrap_err()
            .to_string(),
        "region cannot be empty in key ID: \":12345678-1234-1234-1234-123456789abc\""
    );
    assert_eq!(
        parse_key_id("tr-west-1:").unwrap_err().to_string(),
        "key UUID cannot be empty in key ID: \"tr-west-1:\""
    );
    // Later colons stay in the UUID part (and fail its shape).
    assert_eq!(parse_key_id("a:b:c").unwrap(), ("a", "b:c"));

    let ks = keys_from_list(&format!(" {ID1} , {ID2} ,")).unwrap();
    assert_eq!(
        ks.iter().map(|k| k.key_id.as_str()).collect::<Vec<_>>(),
        [ID1, ID2]
    );
    assert!(keys_from_list("").unwrap().is_empty());
    let e = keys_from_list(&format!("{ID1},invalid-key-id")).unwrap_err();
    assert!(
        e.message().contains("invalid key ID format"),
        "{}",
        e.message()
    );
}

#[test]
fn real_key_ids_are_accepted() {
    for id in [
        ID1,
        "eu-west-101:0d0466b0-e727-4d9c-b35d-f84bb474a37f",
        "cn-north-4:0D0466B0-E727-4D9C-B35D-F84BB474A37F",
        "my-kualalumpur-1:00000000-0000-0000-0000-000000000000",
    ] {
        assert!(validate_key_id(id).is_ok(), "{id}");
    }
}

#[test]
fn hostile_key_ids_are_refused() {
    let u = "12345678-1234-1234-1234-123456789abc";
    for bad in [
        format!("evil.example:{u}"),
        format!("tr-west-1.evil.example:{u}"),
        format!("TR-WEST-1:{u}"),
        format!("tr_west_1:{u}"),
        format!("-tr-west-1:{u}"),
        format!("tr-west-1/..:{u}"),
        format!("127.0.0.1:{u}"),
        format!("{}:{u}", "a".repeat(64)),
        "tr-west-1:../../v3/projects".to_string(),
        format!("tr-west-1:{u}/../../x"),
        format!("tr-west-1:{u}?x=1"),
        format!("tr-west-1:{u}:extra"),
        "tr-west-1:12345678123412341234123456789abc".to_string(),
        "tr-west-1:1234567g-1234-1234-1234-123456789abc".to_string(),
        "tr-west-1:12345678-1234-1234-1234-123456789ab\"".to_string(),
        "tr-west-1:12345678-1234-1234-1234-123456789abc\n".to_string() + "x",
    ] {
        assert!(validate_key_id(&bad).is_err(), "{bad:?}");
        let k = HckmsKey {
            key_id: bad.clone(),
            enc: "AAAA".into(),
            ..Default::default()
        };
        let e = check(&k).unwrap_err();
        assert!(
            e.to_string().starts_with("refused the hckms entry"),
            "{bad:?}: {e}"
        );
        // wrap and unwrap stop at the same check, before any credential
        // (a build without the client refuses every entry anyway).
        if cfg!(feature = "huaweicloud") {
            let e = unwrap(&k).unwrap_err();
            assert!(
                e.to_string().starts_with("refused the hckms entry"),
                "{bad:?}: {e}"
            );
            let mut k = k;
            let e = wrap(&mut k, b"x").unwrap_err().to_string();
            assert!(e.contains("refused the hckms entry"), "{bad:?}: {e}");
            assert!(!e.contains("credentials:"), "{e}");
        }
    }
    // A well-formed region the SDK does not know, not named by the user.
    let k = HckmsKey {
        key_id: format!("us-evil-1:{u}"),
        ..Default::default()
    };
    let e = endpoint_from("us-evil-1", None, &no_file()).unwrap_err();
    assert!(
        e.to_string().contains("region id 'us-evil-1' is not in the following supported regions of service 'KMS': [ae-ad-1, af-north-1,")
            && e.to_string().contains("HUAWEICLOUD_SDK_REGION_KMS_US_EVIL_1"),
        "{e}"
    );
    if std::env::var_os("HUAWEICLOUD_SDK_REGION_KMS_US_EVIL_1").is_none() {
        assert!(check(&k)
            .unwrap_err()
            .to_string()
            .contains("not in the following"));
    }
}

#[test]
fn endpoints_come_from_the_table_or_the_users_settings() {
    assert_eq!(
        endpoint_from("tr-west-1", None, &no_file()).unwrap().urls,
        ["https://kms.tr-west-1.myhuaweicloud.com"]
    );
    assert_eq!(
        endpoint_from("eu-west-101", None, &no_file()).unwrap().urls,
        ["https://kms.eu-west-101.myhuaweicloud.eu"]
    );
    for r in KMS_REGIONS {
        let u = builtin_endpoint(r).unwrap();
        assert!(
            u == format!("https://kms.{r}.myhuaweicloud.com")
                || u == "https://kms.eu-west-101.myhuaweicloud.eu"
        );
        assert!(is_region(r));
    }
    assert_eq!(
        region_env("tr-west-1"),
        "HUAWEICLOUD_SDK_REGION_KMS_TR_WEST_1"
    );
    // The environment first: a list, https added where no scheme is given.
    let ep = endpoint_from(
        "tr-west-1",
        Some("kms.example:8443, http://127.0.0.1:9/ ,"),
        &no_file(),
    )
    .unwrap();
    assert_eq!(ep.urls, ["https://kms.example:8443", "http://127.0.0.1:9"]);
    assert_eq!(ep.origin, "HUAWEICLOUD_SDK_REGION_KMS_TR_WEST_1");
    // Then the regions file, which also admits regions the SDK lacks.
    let file = parse_regions_file(
        b"IAM:\n  - id: x-1\n    endpoint: https://iam.example\nkms:\n  - id: x-new-1\n    endpoint: https://kms.x-new-1.example\n  - id: tr-west-1\n    endpoints: [https://a.example, https://b.example]\n  - endpoint: https://no-id.example\n",
        "regions.yaml",
    )
    .unwrap();
    assert_eq!(file.len(), 2);
    let file = ("regions.yaml".to_string(), file);
    assert_eq!(
        endpoint_from("x-new-1", None, &file).unwrap().urls,
        ["https://kms.x-new-1.example"]
    );
    assert_eq!(
        endpoint_from("tr-west-1", None, &file).unwrap().urls,
        ["https://a.example", "https://b.example"]
    );
    assert_eq!(
        endpoint_from("tr-west-1", Some("http://127.0.0.1:1"), &file)
            .unwrap()
            .urls,
        ["http://127.0.0.1:1"]
    );
    assert!(endpoint_from("x-1", None, &file).is_err(), "IAM is not KMS");
    for good in [
        "https://[::1]:8443",
        "[::1]",
        "127.0.0.1:9",
        "https://kms.example/base",
    ] {
        assert!(user_url(good, "x").is_ok(), "{good}");
    }
    for bad in [
        "https://",
        "https://a?b",
        "https://u@x",
        "https://a b",
        "ftp:",
        "ftp://kms.example",
        "https://kms.example:0",
        "https://kms.example:http",
        "https://[::1]x",
        "https://kms..example",
    ] {
        assert!(
            endpoint_from("tr-west-1", Some(bad), &no_file()).is_err(),
            "{bad}"
        );
    }
    assert!(parse_regions_file(b"KMS: nope\n", "f").is_err());
    assert!(parse_regions_file(b"KMS: [1]\n", "f").is_err());
    assert!(parse_regions_file(b"", "f").unwrap().is_empty());
}

#[test]
#[cfg(feature = "huaweicloud")]
fn credentials_files_are_read_like_the_sdk() {
    let c = profile_creds(
        b"[default]\nak = WRONG\n\n[basic]\nak = AK1\nsk = SK1 ; a comment\nproject_id = 0123abcd\nsecurity_token = \"T\"\niam_endpoint = iam.example\n",
        "creds",
    )
    .unwrap();
    assert_eq!(
        (c.ak.as_str(), c.sk.as_str(), c.project_id.as_str()),
        ("AK1", "SK1", "0123abcd")
    );
    assert_eq!(c.security_token.as_deref().map(|t| t.as_str()), Some("T"));
    assert_eq!(
        iam_endpoint(&c, "tr-west-1").unwrap(),
        "https://iam.example"
    );
    // Debug never shows the secret key or token.
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("SK1") && !dbg.contains("\"T\""), "{dbg}");
    let e = profile_creds(b"[default]\nak = A\nsk = S\n", "creds").unwrap_err();
    assert!(
        e.to_string()
            .contains("AK&SK or IdpId&IdTokenFile does not exist"),
        "{e}"
    );
    let e = profile_creds(b"[basic]\nak = A\n", "creds").unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");
    let e = profile_creds(
        b"[basic]\nak = A\nsk = S\nidp_id = i\nid_token_file = /t\n",
        "creds",
    )
    .unwrap_err();
    assert!(e.to_string().contains("identity federation"), "{e}");
}

#[test]
#[cfg(feature = "huaweicloud")]
fn iam_endpoints_are_the_sdks() {
    let c = Creds {
        ak: "a".into(),
        sk: Zeroizing::new("s".into()),
        security_token: None,
        project_id: String::new(),
        iam_endpoint: None,
        origin: "test".into(),
    };
    if std::env::var_os(IAM_ENDPOINT_ENV).is_none() {
        assert_eq!(
            iam_endpoint(&c, "tr-west-1").unwrap(),
            "https://iam.tr-west-1.myhuaweicloud.com"
        );
        assert_eq!(
            iam_endpoint(&c, "eu-west-101").unwrap(),
            "https://iam.myhuaweicloud.com"
        );
    }
    assert!(is_project_id("0123456789abcdef0123456789abcdef"));
    for bad in ["", "../x", "a/b", "a?b", "a b", &"a".repeat(65)] {
        assert!(!is_project_id(bad), "{bad}");
    }
}

#[test]
#[cfg(feature = "huaweicloud")]
fn service_errors_are_described() {
    let r = |status, body: &str| cloud::Response {
        status,
        body: body.as_bytes().to_vec(),
    };
    assert_eq!(
        failure(&r(
            400,
            r#"{"error":{"error_code":"KMS.0205","error_msg":"The key is disabled."}}"#
        )),
        "HTTP 400 (the request was rejected): KMS.0205: The key is disabled."
    );
    assert_eq!(
        failure(&r(
            401,
            r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}"#
        )),
        "HTTP 401 (authentication failed (missing, invalid or expired credentials)): APIGW.0301: Incorrect IAM authentication information"
    );
    assert_eq!(
        failure(&r(403, r#"{"code":"x","message":"denied"}"#)),
        "HTTP 403 (access denied): x: denied"
    );
    assert_eq!(
        failure(&r(500, "oops\n")),
        "HTTP 500 (the service failed): oops"
    );
    assert_eq!(failure(&r(502, "")), "HTTP 502 (the service failed)");
}

#[test]
fn entries_and_messages_like_sops() {
    let k = MasterKey::new(HckmsKey {
        key_id: ID1.into(),
        created_at: "2025-01-01T00:00:00Z".into(),
        enc: "CT".into(),
    });
    assert_eq!(k.type_id(), "hckms");
    assert_eq!(k.describe(), ID1);
    assert_eq!(k.label(), format!("HuaweiCloud KMS key with ID {ID1}"));
    let names: Vec<_> = k
        .to_entry()
        .iter()
        .map(|i| i.key_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(names, ["key_id", "created_at", "enc"]);
    let back = SOURCE.read_entry(&k.to_entry()).unwrap();
    assert_eq!(back, k);
    // The key service message carries the whole ID, both ways.
    let p = to_proto(&k).unwrap();
    assert_eq!(
        p.key_type,
        Some(crate::proto::key::KeyType::HckmsKey(
            crate::proto::HckmsKey { key_id: ID1.into() }
        ))
    );
    let back = from_proto(&p, "CT").unwrap();
    assert_eq!((back.describe(), back.enc()), (ID1.to_string(), "CT"));
    // Wire format: Key{hckms_key(7): HckmsKey{key_id(1): "a:b"}}.
    use prost::Message;
    let p = crate::proto::Key {
        key_type: Some(crate::proto::key::KeyType::HckmsKey(
            crate::proto::HckmsKey {
                key_id: "a:b".into(),
            },
        )),
    };
    assert_eq!(
        p.encode_to_vec(),
        [0x3a, 0x05, 0x0a, 0x03, b'a', b':', b'b']
    );
    // .sops.yaml key groups: maps with key_id, checked.
    let v = crate::stores::yaml::parse(format!("g:\n  - key_id: {ID1}\n").as_bytes())
        .unwrap()
        .remove(0)
        .remove(0)
        .value;
    let ks = SOURCE.parse_group_value(&v).unwrap();
    assert_eq!(ks[0].describe(), ID1);
    let v = crate::stores::yaml::parse(b"g:\n  - key_id: evil.example:x\n")
        .unwrap()
        .remove(0)
        .remove(0)
        .value;
    assert!(SOURCE.parse_group_value(&v).is_err());
    let v = crate::stores::yaml::parse(format!("g:\n  - {ID1}\n").as_bytes())
        .unwrap()
        .remove(0)
        .remove(0)
        .value;
    assert!(SOURCE.parse_group_value(&v).is_err(), "a list of maps");
}
