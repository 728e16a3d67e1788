#pragma once

#include "exchange.h"
#include "httprequest.h"

namespace portolan::http {

// Quotes `word` for a POSIX shell: 'it'\''s'.
QString shellQuote(const QString &word);

// A curl command line that sends the same request: the method, URL, headers
// and body, POSIX shell-escaped. Bodies that are not UTF-8 text, or that
// stream from files, are fed on stdin byte for byte so nothing is lost.
// Accept-Encoding adds --compressed so the output is readable like Portolan's.
QString toCurl(const HttpRequest &request);
// The same for a recorded hop, with every header that went on the wire
// (Host and Content-Length are left for curl to write, as it does identically).
QString toCurl(const SentRequest &request);

struct CurlImport {
    HttpRequest request;
    bool insecure = false;          // -k: the user must still confirm ignoring TLS errors per host
    bool followRedirects = false;   // -L
    int maxRedirects = -1;
    int timeoutMs = -1;             // -m
    QStringList warnings;           // options understood but not applied, or ignored
    QString error;                  // set when the command cannot be imported; says where
    bool ok() const { return error.isEmpty(); }
};

// Splits a shell command line into words: '…', "…" with \ escapes, $'…',
// backslash escapes and line continuations; no expansion.
QStringList splitShellWords(const QString &commandLine, QString *error);

// Reads a curl command (the `curl` word optional) into a request. `baseDirectory`
// resolves @file arguments.
CurlImport importCurl(const QString &commandLine, const QString &baseDirectory = QString());

} // namespace portolan::http
