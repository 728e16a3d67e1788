#pragma once

#include "exchange.h"

#include <QJsonArray>
#include <QJsonObject>

namespace portolan::http {

struct HarOptions {
    bool redactSecrets = true;              // opt out only on explicit request
    qint64 maxBodyBytes = 16 * 1024 * 1024; // larger bodies are cut, with a comment saying so
};

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): one entry per hop,
// so redirects appear as the browser tools show them. Phases Qt cannot measure
// are -1 as HAR prescribes, with a comment naming them.
QJsonObject toHar(const QList<Exchange> &exchanges, const HarOptions &options = HarOptions());
// Writes toHar(exchanges) to `path` (replaced whole, or left as it was). False with `error` set when it cannot.
bool writeHarFile(const QString &path, const QList<Exchange> &exchanges, QString *error, const HarOptions &options = HarOptions());
// The entries of one exchange (used by history, too).
QJsonArray harEntries(const Exchange &exchange, const HarOptions &options = HarOptions());

} // namespace portolan::http
