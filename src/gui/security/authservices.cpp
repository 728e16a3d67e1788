#include "authservices.h"

#include "credentialstore.h"
#include "oidc.h"
#include "requestsigner.h"
#include "tokenclient.h"
#include "tokenmanager.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QPointer>

namespace portolan::gui {

AuthServices::AuthServices(const QString &metadataFile, QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)), m_store(new auth::CredentialStore(metadataFile, this)),
      m_tokenClient(new auth::TokenClient(m_network, this)), m_tokens(new auth::TokenManager(m_store, m_tokenClient, this)),
      m_discovery(new auth::OidcDiscovery(m_network, this)), m_signer(new auth::RequestSigner(m_store, m_tokens, this))
{
    m_discovery->setCacheDirectory(auth::OidcDiscovery::defaultCacheDirectory());
}

AuthServices::~AuthServices() = default;

AuthServices *AuthServices::shared()
{
    static QPointer<AuthServices> instance;
    if (!instance)
        instance = new AuthServices(QString(), QCoreApplication::instance());
    return instance;
}

} // namespace portolan::gui
