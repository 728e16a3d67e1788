#include "historystore.h"

#include "harexport.h"
#include "privatefiles.h"
#include "redaction.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace portolan::http {

namespace {
constexpr qint64 kMaxStoredBody = 256 * 1024;  // history is for inspection; huge bodies are cut

QJsonObject entryToJson(const HistoryEntry &e)
{
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("startedAt"), e.startedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("operationId"), e.operationId},
            {QStringLiteral("request"), HistoryStore::requestToJson(e.request)},
            {QStringLiteral("status"), e.status},
            {QStringLiteral("error"), e.error},
            {QStringLiteral("totalUs"), e.totalUs},
            {QStringLiteral("har"), e.har}};
}

HistoryEntry entryFromJson(const QJsonObject &o)
{
    HistoryEntry e;
    e.id = o.value(QStringLiteral("id")).toString();
    e.startedAt = QDateTime::fromString(o.value(QStringLiteral("startedAt")).toString(), Qt::ISODateWithMs);
    e.operationId = o.value(QStringLiteral("operationId")).toString();
    e.request = HistoryStore::requestFromJson(o.value(QStringLiteral("request")).toObject());
    e.status = o.value(QStringLiteral("status")).toInt();
    e.error = o.value(QStringLiteral("error")).toString();
    e.totalUs = qint64(o.value(QStringLiteral("totalUs")).toDouble());
    e.har = o.value(QStringLiteral("har")).toArray();
    return e;
}
} // namespace

HistoryStore::HistoryStore(const QString &directory, int maxEntriesPerApi)
    : m_directory(directory.isEmpty()
                      ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/history")
                      : directory),
      m_maxEntries(maxEntriesPerApi)
{
}

QString HistoryStore::directoryFor(const QString &apiId) const
{
    // The API id is a URL or a title: hash it into a safe, stable folder name.
    const QByteArray hash = QCryptographicHash::hash(apiId.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return QDir(m_directory).filePath(QString::fromLatin1(hash));
}

QStringList HistoryStore::filesNewestFirst(const QString &apiId) const
{
    // Names start with the UTC start time, so name order is time order.
    const QDir dir(directoryFor(apiId));
    QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name | QDir::Reversed);
    for (QString &f : files)
        f = dir.filePath(f);
    return files;
}

QJsonObject HistoryStore::requestToJson(const HttpRequest &request)
{
    QJsonArray headers;
    for (const HeaderField &h : request.headers)
        headers.append(QJsonArray{QString::fromLatin1(h.name), QString::fromUtf8(h.value)});
    QJsonObject json{{QStringLiteral("method"), QString::fromLatin1(request.method)},
                     {QStringLiteral("url"), QString::fromUtf8(request.url.toEncoded())},
                     {QStringLiteral("headers"), headers}};
    if (request.body.isInMemory() && !request.body.isEmpty()) {
        json.insert(QStringLiteral("body"), QString::fromLatin1(request.body.inMemoryBytes().left(kMaxStoredBody).toBase64()));
    } else if (!request.body.isEmpty()) {
        QJsonArray segments;  // files are remembered by path, never copied
        for (const BodySegment &s : request.body.segments)
            segments.append(s.isFile() ? QJsonObject{{QStringLiteral("file"), s.filePath}}
                                       : QJsonObject{{QStringLiteral("bytes"), QString::fromLatin1(s.bytes.toBase64())}});
        json.insert(QStringLiteral("segments"), segments);
    }
    return json;
}

HttpRequest HistoryStore::requestFromJson(const QJsonObject &json)
{
    HttpRequest request;
    request.method = json.value(QStringLiteral("method")).toString().toLatin1();
    request.url = QUrl::fromEncoded(json.value(QStringLiteral("url")).toString().toUtf8());
    for (const QJsonValue &h : json.value(QStringLiteral("headers")).toArray())
        request.headers.append({h.toArray().at(0).toString().toLatin1(), h.toArray().at(1).toString().toUtf8()});
    if (json.contains(QStringLiteral("body")))
        request.body = RequestBodyData::fromBytes(QByteArray::fromBase64(json.value(QStringLiteral("body")).toString().toLatin1()));
    for (const QJsonValue &v : json.value(QStringLiteral("segments")).toArray()) {
        const QJsonObject s = v.toObject();
        if (s.contains(QStringLiteral("file")))
            request.body.segments.append({{}, s.value(QStringLiteral("file")).toString()});
        else
            request.body.segments.append({QByteArray::fromBase64(s.value(QStringLiteral("bytes")).toString().toLatin1()), {}});
    }
    return request;
}

bool HistoryStore::append(const QString &apiId, const Exchange &exchange, QString *error)
{
    const QString dir = directoryFor(apiId);
    if (!makePrivateDirectory(dir, error))
        return false;
    HistoryEntry entry;
    entry.id = exchange.id;
    entry.startedAt = exchange.startedAt;
    entry.operationId = exchange.operationId;
    entry.request = redacted(exchange.original, exchange.secrets);
    entry.status = exchange.hasResponse() ? exchange.finalHop().response.status : 0;
    entry.error = exchange.errorMessage;
    entry.totalUs = exchange.totalUs();
    HarOptions har;
    har.maxBodyBytes = kMaxStoredBody;
    entry.har = harEntries(exchange, har);  // redacts by default

    const QString name = exchange.startedAt.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmsszzz")) + QLatin1Char('-')
        + (exchange.id.isEmpty() ? QStringLiteral("exchange") : exchange.id) + QStringLiteral(".json");
    QSaveFile file(QDir(dir).filePath(name));
    const QJsonObject root{{QStringLiteral("api"), apiId}, {QStringLiteral("entry"), entryToJson(entry)}};
    if (!file.open(QIODevice::WriteOnly) || !makeOwnerOnly(file)
        || file.write(QJsonDocument(root).toJson(QJsonDocument::Compact)) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write history %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    const QStringList files = filesNewestFirst(apiId);
    for (qsizetype i = m_maxEntries; i < files.size(); ++i)
        QFile::remove(files[i]);
    return true;
}

QList<HistoryEntry> HistoryStore::entries(const QString &apiId, QString *error) const
{
    QList<HistoryEntry> out;
    QStringList damaged;
    for (const QString &path : filesNewestFirst(apiId)) {
        QFile file(path);
        QJsonParseError parse{};
        const QJsonDocument document = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll(), &parse)
                                                                       : QJsonDocument();
        const QJsonObject entry = document.object().value(QStringLiteral("entry")).toObject();
        if (parse.error != QJsonParseError::NoError || entry.isEmpty()) {
            damaged.append(parse.error != QJsonParseError::NoError
                               ? QStringLiteral("%1 (byte %2: %3)").arg(path).arg(parse.offset).arg(parse.errorString())
                               : path);
            continue;
        }
        out.append(entryFromJson(entry));
    }
    if (error)
        *error = damaged.isEmpty() ? QString() : QStringLiteral("damaged history files left as they are: ") + damaged.join(QStringLiteral(", "));
    return out;
}

bool HistoryStore::clear(const QString &apiId, QString *error)
{
    QDir dir(directoryFor(apiId));
    if (dir.exists() && !dir.removeRecursively()) {
        if (error)
            *error = QStringLiteral("cannot remove %1").arg(dir.path());
        return false;
    }
    return true;
}

} // namespace portolan::http
