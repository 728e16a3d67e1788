#include "oidcprovider.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>
#include <QUrlQuery>

namespace portolan::test {

bool OidcProvider::start(QString *error, const QStringList &extraArguments)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString script = QStringLiteral(PORTOLAN_SOURCE_DIR "/tests/services/oidc/server.mjs");
    const QString package = QStringLiteral(PORTOLAN_SOURCE_DIR "/.deps/node/node_modules/oidc-provider/package.json");
    if (node.isEmpty()) {
        *error = QStringLiteral("node is not installed");
        return false;
    }
    if (!QFile::exists(package)) {
        *error = QStringLiteral("npm oidc-provider is not installed in .deps/node (run packaging/install-deps.sh)");
        return false;
    }
    if (!m_stateDir.isValid()) {
        *error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    const QRegularExpression ready(QStringLiteral("oidc-provider listening on http://127\\.0\\.0\\.1:(\\d+)"));
    const QStringList arguments = QStringList{script, QStringLiteral("0"), QStringLiteral("--state-dir"), m_stateDir.path(),
                                              QStringLiteral("--exit-with-stdin")}
        + extraArguments;
    // Start-up is mostly key generation (see server.mjs): seconds on a machine
    // busy with builds, so the timeout is generous; there is no retry.
    if (!m_process.start(node, arguments, ready, 60'000)) {
        const QProcess &process = m_process.process();
        const QString why = process.state() == QProcess::NotRunning
            ? QStringLiteral("exited with code %1").arg(process.exitCode())
            : QStringLiteral("printed no ready line within 60 s");
        *error = QStringLiteral("oidc-provider did not start: it %1. Its output:\n%2").arg(why, m_process.output());
        m_process.stop();
        return false;
    }
    m_issuer = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_process.port()));
    const QRegularExpressionMatch mtls =
        QRegularExpression(QStringLiteral("mtls listening on (https://127\\.0\\.0\\.1:\\d+)")).match(m_process.output());
    if (mtls.hasMatch())
        m_mtlsUrl = QUrl(mtls.captured(1));
    return true;
}

bool OidcProvider::startWithMtls(const QString &directory, TestCertificates *certificates, QString *error)
{
    return certificates->generate(directory, error)
        && start(error, {QStringLiteral("--tls-cert"), certificates->serverCertificate, QStringLiteral("--tls-key"),
                         certificates->serverKey, QStringLiteral("--tls-ca"), certificates->caCertificate});
}

QByteArray OidcProvider::mtlsDocument() const
{
    return QStringLiteral("openapi: 3.1.0\ninfo: {title: mtls, version: '1'}\npaths: {}\n"
                          "components:\n  securitySchemes:\n    mtls:\n      type: oauth2\n      flows:\n"
                          "        password: {tokenUrl: '%1/token', scopes: {'api:read': r}}\n")
        .arg(m_mtlsUrl.toString())
        .toUtf8();
}

QUrl OidcProvider::discoveryUrl() const
{
    return QUrl(m_issuer.toString() + QLatin1String("/.well-known/openid-configuration"));
}

QString OidcProvider::privateKeyJwtPath() const { return m_stateDir.filePath(QStringLiteral("private_key_jwt.pem")); }

TestUserAgent::Page TestUserAgent::fetch(const QUrl &url, const QByteArray &postBody)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(15'000);
    QNetworkReply *reply;
    if (postBody.isNull()) {
        reply = m_network.get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
        reply = m_network.post(request, postBody);
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Page page;
    page.url = url;
    page.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    page.body = reply->readAll();
    if (reply->hasRawHeader("Location"))
        page.location = url.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
    if (page.status == 0)
        page.error = reply->errorString();
    reply->deleteLater();
    return page;
}

TestUserAgent::Outcome TestUserAgent::browse(const QUrl &start, const QString &stopPrefix, const QString &userCode)
{
    Outcome outcome;
    QUrl url = start;
    QByteArray post;  // null = GET
    static const QRegularExpression formPattern(QStringLiteral("<form([^>]*)>(.*?)</form>"),
                                                QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression inputPattern(QStringLiteral("<input([^>]*)>"));
    static const QRegularExpression attributePattern(QStringLiteral("([a-zA-Z_-]+)=\"([^\"]*)\""));
    auto attributes = [](const QString &text) {
        QHash<QString, QString> map;
        auto it = attributePattern.globalMatch(text);
        while (it.hasNext()) {
            const auto match = it.next();
            map.insert(match.captured(1).toLower(), match.captured(2));
        }
        return map;
    };
    for (outcome.steps = 0; outcome.steps < 25; ++outcome.steps) {
        const Page page = fetch(url, post);
        post = QByteArray();
        if (!page.error.isEmpty()) {
            outcome.error = QStringLiteral("%1: %2").arg(url.toString(), page.error);
            return outcome;
        }
        outcome.lastPage = page.body;
        if (page.status / 100 == 3 && page.location.isValid()) {
            if (!stopPrefix.isEmpty() && page.location.toString().startsWith(stopPrefix)) {
                outcome.ok = true;
                outcome.redirect = page.location;
                return outcome;
            }
            url = page.location;
            continue;
        }
        const auto form = formPattern.match(QString::fromUtf8(page.body));
        if (stopPrefix.isEmpty() && page.status == 200 && !form.hasMatch()) {
            outcome.ok = true;  // the journey ends on a page, e.g. the device flow's success page
            return outcome;
        }
        if (page.status != 200 || !form.hasMatch()) {
            outcome.error = QStringLiteral("stopped at %1 (HTTP %2) without reaching %3")
                                .arg(url.toString(), QString::number(page.status), stopPrefix);
            return outcome;
        }
        const auto formAttributes = attributes(form.captured(1));
        QUrlQuery fields;
        auto it = inputPattern.globalMatch(form.captured(2));
        while (it.hasNext()) {
            const auto input = attributes(it.next().captured(1));
            const QString name = input.value(QStringLiteral("name"));
            QString value = input.value(QStringLiteral("value"));
            if (name.isEmpty())
                continue;
            if (name == QLatin1String("login"))
                value = login;
            else if (name == QLatin1String("password"))
                value = password;
            else if (name == QLatin1String("user_code") && value.isEmpty())
                value = userCode;
            fields.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        }
        if (declineConsent && fields.queryItemValue(QStringLiteral("prompt")) == QLatin1String("consent")) {
            outcome.error = QStringLiteral("consent declined by the test");
            return outcome;
        }
        url = url.resolved(QUrl(formAttributes.value(QStringLiteral("action"))));
        post = fields.query(QUrl::FullyEncoded).toLatin1();
        if (post.isNull())
            post = QByteArray("");
    }
    outcome.error = QStringLiteral("too many steps");
    return outcome;
}

TestUserAgent::Outcome TestUserAgent::browseAndDeliver(const QUrl &start, const QString &redirectPrefix)
{
    Outcome outcome = browse(start, redirectPrefix);
    if (!outcome.ok)
        return outcome;
    const Page page = fetch(outcome.redirect);
    outcome.lastPage = page.body;
    if (page.status != 200) {
        outcome.ok = false;
        outcome.error = QStringLiteral("the redirect URI answered HTTP %1 %2").arg(QString::number(page.status), page.error);
    }
    return outcome;
}

} // namespace portolan::test
