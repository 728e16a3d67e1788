#include "clientcore.h"

#include "credentialstore.h"
#include "credentialtraces.h"
#include "networkrecorder.h"
#include "oidc.h"
#include "requestsigner.h"
#include "tokenclient.h"
#include "tokenmanager.h"
#include "tracedauth.h"

#include <QNetworkAccessManager>

namespace portolan::client {

ClientCore::ClientCore(const QString &credentialsFile, const QString &loginMemoryFile, QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)), m_store(new auth::CredentialStore(credentialsFile, this)),
      m_tokenClient(new auth::TokenClient(m_network, this)), m_tokens(new auth::TokenManager(m_store, m_tokenClient, this)),
      m_discovery(new auth::OidcDiscovery(m_network, this)), m_signer(new auth::RequestSigner(m_store, m_tokens, this)),
      m_traces(new CredentialTraces(this)),
      m_loginMemory(loginMemoryFile)
{
    // Provider keys (not secret) are kept per issuer across runs and shared by both front ends.
    m_discovery->setCacheDirectory(auth::OidcDiscovery::defaultCacheDirectory());
    // The refreshes the request signer makes before a send (or after a 401) are
    // traced for the credential, like the token manager's own.
    m_tokens->setRefreshRunner([this](const QString &id, std::function<void(bool, const QString &)> done) {
        auto *traced = new TracedAuth(m_store, this);
        traced->tokens()->refresh(id, [this, traced, id, done](bool ok, const QString &error) {
            m_traces->keep(id, QStringLiteral("refresh"), traced->recorder()->exchanges());
            traced->deleteLater();
            done(ok, error);
        });
    });
}

ClientCore::~ClientCore() = default;

void ClientCore::saveCredential(auth::CredentialInfo info, const auth::Secrets &secrets,
                                std::function<void(const auth::StoreResult &, const auth::CredentialInfo &)> done)
{
    info.id = credentialToReplace(*m_store, info);
    m_store->save(info, secrets, std::move(done));
}

} // namespace portolan::client
