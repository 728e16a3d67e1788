#include "tracedauth.h"

#include "networkrecorder.h"
#include "oidc.h"
#include "tokenclient.h"
#include "tokenmanager.h"

namespace portolan::client {

TracedAuth::TracedAuth(auth::CredentialStore *store, QObject *parent)
    : QObject(parent), m_recorder(new http::NetworkRecorder(this)), m_tokenClient(new auth::TokenClient(m_recorder, this)),
      m_discovery(new auth::OidcDiscovery(m_recorder, this)), m_tokens(new auth::TokenManager(store, m_tokenClient, this))
{
    http::NetworkRecorder *recorder = m_recorder;
    m_tokenClient->setConnectionPoolFactory([recorder](QObject *owner) { return recorder->newConnectionPool(owner); });
    // The provider keys cached by either program: a traced login reads and fills the same cache.
    m_discovery->setCacheDirectory(auth::OidcDiscovery::defaultCacheDirectory());
    m_tokens->setDiscovery(m_discovery);
}

} // namespace portolan::client
