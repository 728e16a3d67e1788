#pragma once

#include "serviceprocess.h"

#include <QUrl>

namespace portolan::test {

// tests/services/providers/server.mjs on 127.0.0.1 at a random port: loopback
// stand-ins of each preset's provider (/<preset id>/<the provider's paths>)
// and the real-world token answers under /quirks/<name>/token.
class ProviderStandIns {
public:
    // False with `error` when node or the script is missing or the server did not come up.
    bool start(QString *error);
    void stop() { m_process.stop(); }

    // http://127.0.0.1:PORT
    QUrl baseUrl() const { return m_base; }
    // The stand-in for `url` of preset `id`: its path under /<id>/ on this server.
    QUrl standInFor(const QString &id, const QUrl &url) const;
    QUrl quirk(const QString &name) const;
    QString output() const { return m_process.output(); }

private:
    ServiceProcess m_process;
    QUrl m_base;
};

} // namespace portolan::test
