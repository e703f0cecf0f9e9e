#!/usr/bin/env python3
"""Merges new strings into both locale files at once: add-strings.py FILE.json
FILE.json holds {"en": {...nested...}, "cy": {...nested...}}. Existing keys are kept unless
given again. Used by developers so parallel edits never clobber each other's keys."""
import json, sys, fcntl

def merge(into, new):
    for key, value in new.items():
        if isinstance(value, dict):
            into.setdefault(key, {})
            merge(into[key], value)
        else:
            into[key] = value

spec = json.load(open(sys.argv[1]))
with open("app/modules/i18n/locales/.lock", "w") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    for lang in ("en", "cy"):
        path = f"app/modules/i18n/locales/{lang}.json"
        data = json.load(open(path))
        merge(data, spec[lang])
        with open(path, "w") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.write("\n")
