#include "hartrace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace portolan::test {

HarTrace HarTrace::read(const QString &path)
{
    HarTrace trace;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return trace;
    trace.har = file.readAll();
    for (const QJsonValue &entry : QJsonDocument::fromJson(trace.har).object()[QStringLiteral("log")][QStringLiteral("entries")].toArray())
        trace.lines << entry[QStringLiteral("request")][QStringLiteral("method")].toString() + QLatin1Char(' ')
                           + QUrl(entry[QStringLiteral("request")][QStringLiteral("url")].toString()).path() + QLatin1Char(' ')
                           + QString::number(entry[QStringLiteral("response")][QStringLiteral("status")].toInt());
    return trace;
}

} // namespace portolan::test
