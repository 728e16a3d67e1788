#pragma once

#include "exchange.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace portolan::http {

// One remembered send, as listed in the history pane.
struct HistoryEntry {
    QString id;
    QDateTime startedAt;
    QString operationId;
    HttpRequest request;   // redacted: re-sending applies the credential again
    int status = 0;        // 0 when no response came
    QString error;
    qint64 totalUs = 0;
    QJsonArray har;        // the exchange's HAR entries, redacted, for the inspection panes
};

// Sends remembered per API: one JSON file per exchange in a folder per API
// under <AppDataLocation>/history, each written atomically, so adding one
// never rewrites the others. Nothing secret is written: every exchange is
// redacted first (credential references instead of Authorization, cookie and
// key values).
class HistoryStore {
public:
    // `directory` empty = <AppDataLocation>/history.
    explicit HistoryStore(const QString &directory = QString(), int maxEntriesPerApi = 500);

    QString directory() const { return m_directory; }
    QString directoryFor(const QString &apiId) const;

    // Adds the exchange and drops the oldest beyond the limit.
    bool append(const QString &apiId, const Exchange &exchange, QString *error);
    // Newest first. Damaged files are named in `error` and left alone; the others are listed.
    QList<HistoryEntry> entries(const QString &apiId, QString *error = nullptr) const;
    bool clear(const QString &apiId, QString *error);

    static QJsonObject requestToJson(const HttpRequest &request);
    static HttpRequest requestFromJson(const QJsonObject &json);

private:
    QStringList filesNewestFirst(const QString &apiId) const;

    QString m_directory;
    int m_maxEntries;
};

} // namespace portolan::http
