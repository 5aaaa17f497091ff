#!/usr/bin/env python3
"""Generate benchmark inputs of roughly a given size: nested YAML, JSON and dotenv."""
import json, sys, os

def doc(target):
    out, i, size = {}, 0, 0
    while size < target:
        svc = {"name": f"service-{i}", "password": f"p@ss-{i:08d}-xyzzy", "port": 1000 + i % 5000,
               "ratio": (i % 97) / 7.0, "enabled": i % 2 == 0,
               "hosts": [f"h{i}-a.example.com", f"h{i}-b.example.com"],
               "note": "lorem ipsum dolor sit amet " * 2}
        out[f"svc{i}"] = svc
        size += 260
        i += 1
    return out

def to_yaml(d):
    lines = []
    for k, v in d.items():
        lines.append(f"{k}:")
        for k2, v2 in v.items():
            if isinstance(v2, list):
                lines.append(f"    {k2}:")
                lines += [f"        - {x}" for x in v2]
            elif isinstance(v2, bool):
                lines.append(f"    {k2}: {'true' if v2 else 'false'}")
            else:
                lines.append(f"    {k2}: {v2}")
    return "\n".join(lines) + "\n"

def main():
    outdir, size = sys.argv[1], int(sys.argv[2])
    d = doc(size)
    tag = sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    with open(f"{outdir}/{tag}.yaml", "w") as f:
        f.write(to_yaml(d))
    with open(f"{outdir}/{tag}.json", "w") as f:
        json.dump(d, f, indent=4)
    with open(f"{outdir}/{tag}.env", "w") as f:
        n = 0
        for k, v in d.items():
            f.write(f"{k.upper()}_PASSWORD={v['password']}\n")
            f.write(f"{k.upper()}_NOTE={v['note']}\n")
    with open(f"{outdir}/{tag}.bin", "wb") as f:
        f.write(os.urandom(size))

main()
