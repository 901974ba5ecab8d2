#!/usr/bin/env python3
"""Prints the Firefox variant of manifest.json: Firefox's MV3 runs the
background as an event page (background.scripts), not a service worker, and
needs an add-on id."""
import json
import sys

manifest = json.load(open(sys.argv[1], encoding="utf-8"))
manifest["background"] = {"scripts": ["background.js"], "type": "module"}
manifest["browser_specific_settings"] = {
    "gecko": {
        "id": "sourcebar@sourcebar.dev",
        "strict_min_version": "142.0",
        "data_collection_permissions": {"required": ["none"]},
    }
}
json.dump(manifest, sys.stdout, indent=2, ensure_ascii=False)
sys.stdout.write("\n")
