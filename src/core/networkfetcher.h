#pragma once

#include "remotefetcher.h"

#include <memory>

class QNetworkAccessManager;

namespace portolan {

// Downloads over Qt Network, through `network` (not owned) or a manager of
// its own, made at the first download: most loads read files alone.
class NetworkFetcher final : public RemoteFetcher {
public:
    explicit NetworkFetcher(QNetworkAccessManager *network);
    ~NetworkFetcher() override;

    RemoteFetch *get(const QUrl &url, int timeoutMs, int maxRedirects) override;

private:
    QNetworkAccessManager *m_network;
    std::unique_ptr<QNetworkAccessManager> m_ownNetwork;
};

} // namespace portolan
