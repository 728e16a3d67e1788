#pragma once

#include "serviceprocess.h"

#include <QString>
#include <QUrl>

namespace portolan::test {

// Debian's python3-httpbin, started on a free port of 127.0.0.1 for one test
// and stopped with it. Usage:
//     HttpBin httpbin;
//     if (!httpbin.start()) QFAIL(qPrintable(httpbin.error()));
//     QUrl url = httpbin.url("/anything?x=1");
class HttpBin {
public:
    HttpBin() = default;
    HttpBin(const HttpBin &) = delete;
    HttpBin &operator=(const HttpBin &) = delete;

    // Starts the server and waits until it listens. On failure error() says why
    // (python3-httpbin missing included: tests/run-all.sh installs it, so a test fails then).
    bool start(int timeoutMs = 20'000);
    void stop() { m_service.stop(); }

    quint16 port() const { return m_service.port(); }
    // http://127.0.0.1:PORT
    QUrl baseUrl() const;
    // The base URL plus `pathAndQuery` (e.g. "/anything?a=1"), taken as already encoded.
    QUrl url(const QString &pathAndQuery) const;
    QString error() const { return m_error; }
    QString output() const { return m_service.output(); }

private:
    ServiceProcess m_service;
    QString m_error;
};

} // namespace portolan::test
