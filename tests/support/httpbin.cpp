#include "httpbin.h"

#include <QFileInfo>
#include <QProcess>

namespace portolan::test {

namespace {
// The system interpreter: only it sees Debian's python3-httpbin package
// (a python3 earlier on PATH may be a private one without it).
const QString kPython = QStringLiteral("/usr/bin/python3");
const QString kModulePath = QStringLiteral("/usr/lib/python3/dist-packages/httpbin/core.py");
} // namespace

bool HttpBin::start(int timeoutMs)
{
    if (!QFileInfo::exists(kPython) || !QFileInfo::exists(kModulePath)) {
        m_error = QStringLiteral("python3-httpbin is not installed (%1 missing)").arg(kModulePath);
        return false;
    }
    // Port 0: the kernel picks a free port, and werkzeug prints the one it got,
    // which avoids the race of probing for a free port first.
    const QStringList arguments{QStringLiteral("-u"), QStringLiteral("-m"), QStringLiteral("httpbin.core"),
                                QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                                QStringLiteral("--port"), QStringLiteral("0")};
    const QRegularExpression ready(QStringLiteral(R"(Running on http://127\.0\.0\.1:(\d+))"));
    if (!m_service.start(kPython, arguments, ready, timeoutMs) || m_service.port() == 0) {
        m_error = QStringLiteral("httpbin did not start: %1").arg(m_service.output());
        m_service.stop();
        return false;
    }
    m_error.clear();
    return true;
}

QUrl HttpBin::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

QUrl HttpBin::url(const QString &pathAndQuery) const
{
    return QUrl(baseUrl().toString() + pathAndQuery);
}

} // namespace portolan::test
