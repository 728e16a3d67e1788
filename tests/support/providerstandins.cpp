#include "providerstandins.h"

#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>

namespace portolan::test {

bool ProviderStandIns::start(QString *error)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString script = QStringLiteral(PORTOLAN_SOURCE_DIR "/tests/services/providers/server.mjs");
    if (node.isEmpty() || !QFile::exists(script)) {
        *error = QStringLiteral("node or %1 is missing").arg(script);
        return false;
    }
    const QRegularExpression ready(QStringLiteral("provider stand-ins listening on http://127\\.0\\.0\\.1:(\\d+)"));
    if (!m_process.start(node, {script, QStringLiteral("0"), QStringLiteral("--exit-with-stdin")}, ready, 30'000)) {
        *error = QStringLiteral("the provider stand-ins did not start:\n") + m_process.output();
        return false;
    }
    m_base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_process.port()));
    return true;
}

QUrl ProviderStandIns::standInFor(const QString &id, const QUrl &url) const
{
    QUrl out = m_base;
    out.setPath(QLatin1Char('/') + id + url.path());
    out.setQuery(url.query());
    return out;
}

QUrl ProviderStandIns::quirk(const QString &name) const
{
    return QUrl(m_base.toString() + QStringLiteral("/quirks/%1/token").arg(name));
}

} // namespace portolan::test
