#!/usr/bin/env python3
"""Check newslint's SARIF output field by field against SARIF 2.1.0.

The objects newslint writes are described below with the properties, required
properties (and anyOf requirements), types, enumerations, minimums and
uniqueItems that the published SARIF 2.1.0 JSON schema (OASIS,
sarif-schema-2.1.0.json, errata01) gives them, transcribed from it; every
object there is "additionalProperties": false, so an unknown property is an
error too.  Then
the semantics the schema cannot say: ruleIndex points at the rule with that
id, regions agree with the text of the file (lines, code-point columns,
charOffset/charLength), fixes replace the finding's region, URIs are
percent-encoded relative references that name the file.

Usage: check_sarif.py REPORT.sarif FOLDER   (FOLDER: where newslint ran)
Prints TAP.
"""
import json
import os
import re
import sys
import urllib.parse

INT, STR, BOOL, OBJ, ARR = "integer", "string", "boolean", "object", "array"

# name: (properties {prop: spec}, required)
# spec: a type name, ("ref", name), ("array", spec, min_items[, unique_items]),
#       ("enum", values), ("int", minimum)
S = {
    "sarifLog": ({"$schema": STR, "version": ("enum", ["2.1.0"]), "runs": ("array", ("ref", "run"), 0),
                  "inlineExternalProperties": ARR, "properties": OBJ}, ["version", "runs"]),
    "run": ({"tool": ("ref", "tool"), "invocations": ("array", ("ref", "invocation"), 0),
             "conversion": OBJ, "language": STR, "versionControlProvenance": ARR,
             "originalUriBaseIds": OBJ, "artifacts": ARR, "logicalLocations": ARR, "graphs": ARR,
             "results": ("array", ("ref", "result"), 0), "automationDetails": OBJ,
             "runAggregates": ARR, "baselineGuid": STR, "redactionTokens": ARR,
             "defaultEncoding": STR, "defaultSourceLanguage": STR, "newlineSequences": ARR,
             "columnKind": ("enum", ["utf16CodeUnits", "unicodeCodePoints"]),
             "externalPropertyFileReferences": OBJ, "threadFlowLocations": ARR, "taxonomies": ARR,
             "addresses": ARR, "translations": ARR, "policies": ARR, "webRequests": ARR,
             "webResponses": ARR, "specialLocations": OBJ, "properties": OBJ}, ["tool"]),
    "tool": ({"driver": ("ref", "toolComponent"), "extensions": ARR, "properties": OBJ}, ["driver"]),
    "toolComponent": ({"guid": STR, "name": STR, "organization": STR, "product": STR,
                       "productSuite": STR, "shortDescription": ("ref", "mms"),
                       "fullDescription": ("ref", "mms"), "fullName": STR, "version": STR,
                       "semanticVersion": STR, "dottedQuadFileVersion": STR, "releaseDateUtc": STR,
                       "downloadUri": STR, "informationUri": STR, "globalMessageStrings": OBJ,
                       "notifications": ARR, "rules": ("array", ("ref", "reportingDescriptor"), 0, True),
                       "taxa": ARR, "locations": ARR, "language": STR, "contents": ARR,
                       "isComprehensive": BOOL, "localizedDataSemanticVersion": STR,
                       "minimumRequiredLocalizedDataSemanticVersion": STR,
                       "associatedComponent": OBJ, "translationMetadata": OBJ,
                       "supportedTaxonomies": ARR, "properties": OBJ}, ["name"]),
    "reportingDescriptor": ({"id": STR, "deprecatedIds": ARR, "guid": STR, "deprecatedGuids": ARR,
                             "name": STR, "deprecatedNames": ARR, "shortDescription": ("ref", "mms"),
                             "fullDescription": ("ref", "mms"), "messageStrings": OBJ,
                             "defaultConfiguration": ("ref", "reportingConfiguration"),
                             "helpUri": STR, "help": ("ref", "mms"), "relationships": ARR,
                             "properties": OBJ}, ["id"]),
    "mms": ({"text": STR, "markdown": STR, "properties": OBJ}, ["text"]),
    "reportingConfiguration": ({"enabled": BOOL, "level": ("enum", ["none", "note", "warning", "error"]),
                                "rank": "number", "parameters": OBJ, "properties": OBJ}, []),
    "result": ({"ruleId": STR, "ruleIndex": ("int", -1), "rule": OBJ,
                "kind": ("enum", ["notApplicable", "pass", "fail", "review", "open", "informational"]),
                "level": ("enum", ["none", "note", "warning", "error"]), "message": ("ref", "message"),
                "analysisTarget": ("ref", "artifactLocation"), "locations": ("array", ("ref", "location"), 0),
                "guid": STR, "correlationGuid": STR, "occurrenceCount": ("int", 1),
                "partialFingerprints": OBJ, "fingerprints": OBJ, "stacks": ARR, "codeFlows": ARR,
                "graphs": ARR, "graphTraversals": ARR,
                "relatedLocations": ("array", ("ref", "location"), 0, True), "suppressions": ARR,
                "baselineState": STR, "rank": "number", "attachments": ARR, "hostedViewerUri": STR,
                "workItemUris": ARR, "provenance": OBJ, "fixes": ("array", ("ref", "fix"), 0, True),
                "taxa": ARR, "webRequest": OBJ, "webResponse": OBJ, "properties": OBJ}, ["message"]),
    "message": ({"text": STR, "markdown": STR, "id": STR, "arguments": ARR, "properties": OBJ}, []),
    "location": ({"id": ("int", -1), "physicalLocation": ("ref", "physicalLocation"),
                  "logicalLocations": ARR, "message": ("ref", "message"), "annotations": ARR,
                  "relationships": ARR, "properties": OBJ}, []),
    "physicalLocation": ({"address": OBJ, "artifactLocation": ("ref", "artifactLocation"),
                          "region": ("ref", "region"), "contextRegion": ("ref", "region"),
                          "properties": OBJ}, []),
    "artifactLocation": ({"uri": STR, "uriBaseId": STR, "index": ("int", -1),
                          "description": ("ref", "message"), "properties": OBJ}, []),
    "region": ({"startLine": ("int", 1), "startColumn": ("int", 1), "endLine": ("int", 1),
                "endColumn": ("int", 1), "charOffset": ("int", -1), "charLength": ("int", 0),
                "byteOffset": ("int", -1), "byteLength": ("int", 0), "snippet": OBJ,
                "message": ("ref", "message"), "sourceLanguage": STR, "properties": OBJ}, []),
    "fix": ({"description": ("ref", "message"), "artifactChanges": ("array", ("ref", "artifactChange"), 1, True),
             "properties": OBJ}, ["artifactChanges"]),
    "artifactChange": ({"artifactLocation": ("ref", "artifactLocation"),
                        "replacements": ("array", ("ref", "replacement"), 1), "properties": OBJ},
                       ["artifactLocation", "replacements"]),
    "replacement": ({"deletedRegion": ("ref", "region"), "insertedContent": ("ref", "artifactContent"),
                     "properties": OBJ}, ["deletedRegion"]),
    "artifactContent": ({"text": STR, "binary": STR, "rendered": OBJ, "properties": OBJ}, []),
    "invocation": ({"commandLine": STR, "arguments": ARR, "responseFiles": ARR, "startTimeUtc": STR,
                    "endTimeUtc": STR, "exitCode": INT, "ruleConfigurationOverrides": ARR,
                    "notificationConfigurationOverrides": ARR,
                    "toolExecutionNotifications": ("array", ("ref", "notification"), 0),
                    "toolConfigurationNotifications": ARR, "exitCodeDescription": STR,
                    "exitSignalName": STR, "exitSignalNumber": INT, "processStartFailureMessage": STR,
                    "executionSuccessful": BOOL, "machine": STR, "account": STR, "processId": INT,
                    "executableLocation": OBJ, "workingDirectory": OBJ, "environmentVariables": OBJ,
                    "stdin": OBJ, "stdout": OBJ, "stderr": OBJ, "stdoutStderr": OBJ, "properties": OBJ},
                   ["executionSuccessful"]),
    "notification": ({"locations": ("array", ("ref", "location"), 0, True), "message": ("ref", "message"),
                      "level": ("enum", ["none", "note", "warning", "error"]), "threadId": INT,
                      "timeUtc": STR, "exception": OBJ, "descriptor": OBJ, "associatedRule": OBJ,
                      "properties": OBJ}, ["message"]),
}

errors = []


def is_type(v, t):
    return {INT: lambda: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda: isinstance(v, (int, float)) and not isinstance(v, bool),
            STR: lambda: isinstance(v, str), BOOL: lambda: isinstance(v, bool),
            OBJ: lambda: isinstance(v, dict), ARR: lambda: isinstance(v, list)}[t]()


def check(v, spec, where):
    if isinstance(spec, str):
        if not is_type(v, spec):
            errors.append("%s: expected %s, got %r" % (where, spec, v))
        return
    kind = spec[0]
    if kind == "ref":
        check_obj(v, spec[1], where)
    elif kind == "array":
        if not isinstance(v, list):
            errors.append("%s: expected an array" % where)
            return
        if len(v) < spec[2]:
            errors.append("%s: needs at least %d items" % (where, spec[2]))
        if len(spec) > 3 and spec[3]:
            seen = [json.dumps(x, sort_keys=True) for x in v]
            if len(set(seen)) != len(seen):
                errors.append("%s: items must be unique" % where)
        for i, x in enumerate(v):
            check(x, spec[1], "%s[%d]" % (where, i))
    elif kind == "enum":
        if v not in spec[1]:
            errors.append("%s: %r not one of %s" % (where, v, spec[1]))
    elif kind == "int":
        if not is_type(v, INT) or v < spec[1]:
            errors.append("%s: expected an integer >= %d, got %r" % (where, spec[1], v))


def check_obj(v, name, where):
    if not isinstance(v, dict):
        errors.append("%s: expected a %s object" % (where, name))
        return
    props, req = S[name]
    for k in req:
        if k not in v:
            errors.append("%s: %s lacks required property '%s'" % (where, name, k))
    for k, x in v.items():
        if k not in props:
            errors.append("%s: %s has no property '%s'" % (where, name, k))
        else:
            check(x, props[k], "%s.%s" % (where, k))
    if name == "message" and "text" not in v and "id" not in v:
        errors.append("%s: a message needs text or id" % where)
    if name == "region" and not any(k in v for k in ("startLine", "charOffset", "byteOffset")):
        errors.append("%s: a region needs startLine, charOffset or byteOffset" % where)
    if name == "physicalLocation" and "artifactLocation" not in v and "address" not in v:
        errors.append("%s: a physicalLocation needs artifactLocation or address" % where)


def main():
    report, folder = sys.argv[1], sys.argv[2]
    log = json.load(open(report, encoding="utf-8"))
    tests = []

    check_obj(log, "sarifLog", "$")
    tests.append(("the log has the structure of the SARIF 2.1.0 schema", list(errors)))

    errs = []
    run = log["runs"][0]
    rules = run["tool"]["driver"].get("rules", [])
    ids = [r["id"] for r in rules]
    if len(set(ids)) != len(ids):
        errs.append("duplicate rule ids")
    if run.get("columnKind") != "unicodeCodePoints":
        errs.append("columnKind must be declared unicodeCodePoints")
    texts = {}
    n_fix = n_rel = 0
    for i, res in enumerate(run.get("results", [])):
        w = "results[%d]" % i
        ri = res.get("ruleIndex")
        if ri is None or ri >= len(rules) or rules[ri]["id"] != res.get("ruleId"):
            errs.append("%s: ruleIndex %r does not name rule %r" % (w, ri, res.get("ruleId")))
        elif rules[ri].get("defaultConfiguration", {}).get("level") is None:
            errs.append("%s: rule without a default level" % w)
        locs = [("locations[0]", res["locations"][0])] + \
               [("relatedLocations[%d]" % k, l) for k, l in enumerate(res.get("relatedLocations", []))]
        n_rel += len(res.get("relatedLocations", []))
        for f in res.get("fixes", []):
            n_fix += 1
            for ch in f["artifactChanges"]:
                for rp in ch["replacements"]:
                    if rp["deletedRegion"] != res["locations"][0]["physicalLocation"]["region"]:
                        errs.append("%s: a fix deletes another region than the finding's" % w)
                if ch["artifactLocation"] != res["locations"][0]["physicalLocation"]["artifactLocation"]:
                    errs.append("%s: a fix changes another file" % w)
        for name, loc in locs:
            pl = loc["physicalLocation"]
            uri = pl["artifactLocation"]["uri"]
            if re.search(r"[^A-Za-z0-9\-._~/%]", uri) or uri.startswith("/") or ":" in uri:
                errs.append("%s.%s: uri %r is not a percent-encoded relative reference" % (w, name, uri))
            path = os.path.join(folder, urllib.parse.unquote(uri))
            if path not in texts:
                try:
                    with open(path, encoding="utf-8-sig", newline="") as fh:
                        texts[path] = fh.read()
                except OSError as e:
                    errs.append("%s.%s: uri %r: %s" % (w, name, uri, e))
                    continue
            text = texts[path]
            r = pl["region"]
            a, n = r["charOffset"], r["charLength"]
            # lines and code-point columns of offset a and a+n (CR of CRLF not counted)
            def pos(off):
                before = text[:off]
                line = before.count("\n") + 1
                col = len(before) - (before.rfind("\n") + 1) + 1
                if before.endswith("\r") and text[off:off + 1] == "\n":
                    col -= 1
                return line, col
            if (r["startLine"], r["startColumn"]) != pos(a):
                errs.append("%s.%s: start %d:%d but charOffset %d is at %d:%d" %
                            ((w, name, r["startLine"], r["startColumn"], a) + pos(a)))
            if (r["endLine"], r["endColumn"]) != pos(a + n):
                errs.append("%s.%s: end %d:%d but charOffset+charLength %d is at %d:%d" %
                            ((w, name, r["endLine"], r["endColumn"], a + n) + pos(a + n)))
    tests.append(("results agree with their rules and with the text of their files", errs))
    tests.append(("the report has fixes and related locations to check",
                  [] if n_fix and n_rel else ["fixes %d, related %d" % (n_fix, n_rel)]))
    inv = run.get("invocations", [{}])[0]
    nots = inv.get("toolExecutionNotifications", [])
    tests.append(("a file that cannot be read is a tool execution notification",
                  [] if inv.get("executionSuccessful") is False and nots and nots[0]["level"] == "error"
                  else ["invocations: %r" % inv]))

    print("1..%d" % len(tests))
    for i, (name, errs) in enumerate(tests, 1):
        print("%s %d - %s" % ("ok" if not errs else "not ok", i, name))
        for e in errs[:20]:
            print("# " + e)


if __name__ == "__main__":
    main()
