#include "deviceflow.h"

#include "urlpolicy.h"

#include <QPointer>

namespace portolan::auth {

namespace {
const char kDeviceGrant[] = "urn:ietf:params:oauth:grant-type:device_code";
}

DeviceFlow::DeviceFlow(TokenClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);  // a coarse timer may fire 5% early: never poll before the interval
    connect(&m_timer, &QTimer::timeout, this, &DeviceFlow::poll);
}

void DeviceFlow::start(const QUrl &deviceAuthorizationUrl, const QUrl &tokenUrl, const ClientConfig &clientConfig,
                       const QStringList &scopes, const Parameters &extraParameters, const JsonWebKey &dpopKey)
{
    cancel();
    m_running = true;
    m_tokenUrl = tokenUrl;
    m_clientConfig = clientConfig;
    m_dpopKey = dpopKey;
    m_extraParameters = extraParameters;
    Parameters parameters = extraParameters;
    if (!scopes.isEmpty())
        parameters.prepend({QStringLiteral("scope"), scopes.join(QLatin1Char(' '))});
    const quint64 generation = ++m_generation;
    m_client->requestDeviceAuthorization(
        deviceAuthorizationUrl, clientConfig, parameters,
        [this, self = QPointer<DeviceFlow>(this), generation](const DeviceAuthorization &authorization, const OAuthError &error) {
            if (!self || generation != m_generation)
                return;
            if (!error.isNull()) {
                finish(TokenResult{false, {}, error});
                return;
            }
            // The user is asked to open these: only http(s) ones are passed on.
            QString notBrowsable;
            if (!isBrowsableUrl(authorization.verificationUri, &notBrowsable)) {
                finish(TokenResult{false, {}, OAuthError{QStringLiteral("invalid_response"),
                                                         QStringLiteral("verification_uri: ") + notBrowsable, {}, 0}});
                return;
            }
            const QUrl complete = isBrowsableUrl(authorization.verificationUriComplete, &notBrowsable)
                ? authorization.verificationUriComplete : QUrl();
            m_deviceCode = authorization.deviceCode;
            m_intervalSeconds = qMax(1, authorization.intervalSeconds);
            m_deadline = QDeadlineTimer(qint64(authorization.expiresInSeconds) * 1000);
            Q_EMIT userCodeReady(authorization.userCode, authorization.verificationUri,
                                 complete, authorization.expiresInSeconds);
            m_timer.start(m_intervalSeconds * 1000);
        });
}

void DeviceFlow::cancel()
{
    ++m_generation;
    m_timer.stop();
    m_deviceCode.clear();
    m_running = false;
}

void DeviceFlow::poll()
{
    if (m_deadline.hasExpired()) {
        finish(TokenResult{false, {}, OAuthError{QStringLiteral("expired_token"),
                                                 QStringLiteral("the user code expired before it was approved"), {}, 0}});
        return;
    }
    Parameters parameters{{QStringLiteral("grant_type"), QLatin1String(kDeviceGrant)},
                          {QStringLiteral("device_code"), QString::fromUtf8(m_deviceCode)}};
    parameters += m_extraParameters;
    const quint64 generation = m_generation;
    m_client->requestToken(m_tokenUrl, m_clientConfig, parameters, m_dpopKey, [this, self = QPointer<DeviceFlow>(this), generation](const TokenResult &result) {
        if (!self || generation != m_generation)
            return;
        if (!result.ok && result.error.error == QLatin1String("authorization_pending")) {
            m_timer.start(m_intervalSeconds * 1000);
        } else if (!result.ok && result.error.error == QLatin1String("slow_down")) {
            m_intervalSeconds += 5;  // RFC 8628 §3.5
            m_timer.start(m_intervalSeconds * 1000);
        } else {
            finish(result);
        }
    });
}

void DeviceFlow::finish(const TokenResult &result)
{
    cancel();
    Q_EMIT finished(result);
}

} // namespace portolan::auth
