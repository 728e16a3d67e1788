// One client core, two front ends. For a table of requests (parameter styles,
// body kinds, scheme kinds, server variables, an environment with a secret
// variable) the desktop app (its operation page and Send) and portolan-cli
// produce the same wire request: the HAR records of the exchanges and
// httpbin's /anything echoes are compared byte for byte. Also: a relative
// tokenUrl resolves the same in the set-up dialog as in the CLI's login, and a
// tls_client_auth login from the dialog stores what a later refresh needs to
// present the certificate again (real provider over mutual TLS).
#include "guitestsupport.h"
#include "httpbin.h"
#include "oidcprovider.h"
#include "tlsserver.h"

#include "apiworkspace.h"
#include "clientcore.h"
#include "operationpage.h"
#include "parameterfield.h"
#include "parameterform.h"
#include "requestbodyeditor.h"
#include "serverpicker.h"
#include "inspectorpanel.h"
#include "requirementstatusview.h"
#include "schemesetupdialog.h"
#include "securitypanel.h"

#include "credentialstore.h"
#include "harexport.h"
#include "loginplan.h"
#include "requestsigner.h"
#include "tokenmanager.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSplitter>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;
using namespace portolan::gui;

namespace {

const char kDocument[] = R"(openapi: 3.1.0
info: {title: parity, version: '1'}
servers:
  - url: 'HTTPBIN/{base}'
    variables: {base: {default: anything, enum: [anything, other]}}
paths:
  /path/{plain}/{label}/{matrix}:
    get:
      operationId: pathStyles
      parameters:
        - {name: plain, in: path, required: true, schema: {type: array, items: {type: string}}}
        - {name: label, in: path, required: true, style: label, schema: {type: array, items: {type: string}}}
        - {name: matrix, in: path, required: true, style: matrix, explode: true, schema: {type: array, items: {type: integer}}}
      responses: {'200': {description: echo}}
  /query:
    get:
      operationId: queryStyles
      parameters:
        - {name: form, in: query, schema: {type: array, items: {type: string}}}
        - {name: space, in: query, style: spaceDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: pipe, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: deep, in: query, style: deepObject, explode: true, schema: {type: object}}
        - {name: reserved, in: query, allowReserved: true, schema: {type: string}}
        - {name: X-List, in: header, schema: {type: array, items: {type: string}}}
        - {name: flavour, in: cookie, schema: {type: string}}
        - {name: X-Token, in: header, schema: {type: string}}
        - {name: env, in: query, schema: {type: string}}
      responses: {'200': {description: echo}}
  /body:
    post:
      operationId: body
      requestBody:
        content:
          application/json: {schema: {type: object}}
          application/x-www-form-urlencoded: {schema: {type: object, properties: {b: {type: string}, a: {type: integer}}}}
          multipart/form-data: {schema: {type: object, properties: {name: {type: string}, tags: {type: array}}}}
          text/plain: {schema: {type: string}}
      responses: {'200': {description: echo}}
  /secured:
    get:
      operationId: secured
      security: [{keyHeader: []}, {keyQuery: []}, {keyCookie: []}, {basicAuth: []}, {bearerAuth: []}, {oauth: []}]
      responses: {'200': {description: echo}}
components:
  securitySchemes:
    keyHeader: {type: apiKey, in: header, name: X-Api-Key}
    keyQuery: {type: apiKey, in: query, name: api_key}
    keyCookie: {type: apiKey, in: cookie, name: session}
    basicAuth: {type: http, scheme: basic}
    bearerAuth: {type: http, scheme: bearer}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'ISSUER/token', scopes: {}}}}
)";

// Multipart boundaries are fresh per request: the same request has another one.
QByteArray withoutBoundaries(QByteArray bytes)
{
    static const QRegularExpression boundary(QStringLiteral("boundary=([-_0-9A-Za-z.]+)"));
    const QRegularExpressionMatch match = boundary.match(QString::fromLatin1(bytes));
    if (!match.hasMatch())
        return bytes;
    return bytes.replace(match.captured(1).toLatin1(), "BOUNDARY");
}

// The request part of a HAR entry, as bytes: what was sent, without timings.
QByteArray harRequest(const QJsonObject &har)
{
    const QJsonObject request = har.value(QStringLiteral("log")).toObject().value(QStringLiteral("entries")).toArray()
                                    .first().toObject().value(QStringLiteral("request")).toObject();
    return withoutBoundaries(QJsonDocument(request).toJson(QJsonDocument::Indented));
}

} // namespace

class TestClientParity : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<client::ClientCore> m_core;
    test::HttpBin m_httpbin;
    test::OidcProvider m_provider;
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<QSplitter> m_window;
    ApiWorkspace *m_workspace = nullptr;  // owned by m_window

    struct Cli {
        int code = -1;
        QByteArray out, err;
    };
    Cli cli(const QStringList &arguments, const QByteArray &input = {})
    {
        QProcess process;
        process.start(QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli"), arguments);
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(60'000))
            process.kill();
        process.waitForFinished();
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
                process.readAllStandardError()};
    }
    bool store(const QString &scheme, auth::CredentialKind kind, const char *secretName, const QByteArray &value)
    {
        auth::CredentialInfo info;
        info.api = auth::apiIdentity(*m_workspace->document());
        info.scheme = scheme;
        info.kind = kind;
        info.username = kind == auth::CredentialKind::Basic ? QStringLiteral("ann") : QString();
        bool done = false, ok = false;
        m_core->saveCredential(info, {{QLatin1String(secretName), value}}, [&](const auth::StoreResult &r, const auth::CredentialInfo &) {
            ok = r.ok && !r.sessionOnly;
            done = true;
        });
        return QTest::qWaitFor([&] { return done; }, 10'000) && ok;
    }
    void clearCredentials() { test::clearCredentials(m_core->store()); }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no D-Bus session: run inside dbus-run-session with gnome-keyring unlocked (tests/run-all.sh does)");
        // The same files and keychain entries as portolan-cli: what one front end stores, the other reads.
        QCoreApplication::setApplicationName(QStringLiteral("portolan"));
        QCoreApplication::setOrganizationName(QStringLiteral("portolan"));
        m_core = std::make_unique<client::ClientCore>();
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        QString error;
        QVERIFY2(m_provider.start(&error), qPrintable(error));
        m_path = m_dir.filePath(QStringLiteral("parity.yaml"));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(kDocument)
                       .replace("HTTPBIN", m_httpbin.baseUrl().toString().toUtf8())
                       .replace("ISSUER", m_provider.issuer().toString().toUtf8()));
        file.close();
        // An environment with a secret variable, stored by the CLI: the app offers it too.
        const Cli secret = cli({QStringLiteral("env"), QStringLiteral("set-secret"), QStringLiteral("parity"), QStringLiteral("token")},
                               "secret-env-token\n");
        QVERIFY2(secret.code == 0, secret.err.constData());

        m_window = std::make_unique<QSplitter>(Qt::Vertical);
        m_workspace = new ApiWorkspace(m_core.get(), QUrl::fromLocalFile(m_path), m_window.get());
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        m_workspace->load();
        QVERIFY(loaded.wait(20000));
        QVERIFY(loaded.first().first().toBool());
        m_window->addWidget(m_workspace);
        m_window->resize(1300, 900);
        m_window->show();
        clearCredentials();
    }

    void sameWireRequest_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QStringList>("values");       // KEY=VALUE for the form, in:name as the form keys them
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("body");            // as typed in the body editor
        QTest::addColumn<QStringList>("cliArguments");  // the same request on the command line
        QTest::addColumn<QString>("scheme");          // a credential stored for this scheme first

        QTest::newRow("path styles") << "pathStyles" << QStringList{"path:plain=a,b", "path:label=x,y", "path:matrix=1,2"}
                                     << QString() << QString()
                                     << QStringList{"--param", "plain=a,b", "--param", "label=x,y", "--param", "matrix=1,2"} << QString();
        QTest::newRow("query, header and cookie styles")
            << "queryStyles"
            << QStringList{"query:form=a,b", "query:space=c,d", "query:pipe=e,f", "query:deep={\"k\":\"v w\"}",
                           "query:reserved=/x?y", "header:X-List=1,2", "cookie:flavour=mint"}
            << QString() << QString()
            << QStringList{"--param", "form=a,b", "--param", "space=c,d", "--param", "pipe=e,f", "--param", "deep={\"k\":\"v w\"}",
                           "--param", "reserved=/x?y", "--param", "X-List=1,2", "--param", "flavour=mint"}
            << QString();
        QTest::newRow("json body") << "body" << QStringList() << "application/json" << "{\"n\": 1, \"s\": \"é\"}"
                                   << QStringList{"--content-type", "application/json", "--body", "{\"n\": 1, \"s\": \"é\"}"}
                                   << QString();
        QTest::newRow("form body") << "body" << QStringList() << "application/x-www-form-urlencoded"
                                   << "{\"a\": \"1\", \"b\": \"x y&z\"}"
                                   << QStringList{"--content-type", "application/x-www-form-urlencoded", "--form", "a=1", "--form",
                                                  "b=x y&z"}
                                   << QString();
        QTest::newRow("multipart body") << "body" << QStringList() << "multipart/form-data" << "{\"name\": \"n1\", \"tags\": \"t\"}"
                                        << QStringList{"--content-type", "multipart/form-data", "--form", "name=n1", "--form", "tags=t"}
                                        << QString();
        QTest::newRow("text body") << "body" << QStringList() << "text/plain" << "just text"
                                   << QStringList{"--content-type", "text/plain", "--body", "just text"} << QString();
        QTest::newRow("server variable") << "queryStyles" << QStringList{"server:base=other"} << QString() << QString()
                                         << QStringList{"--server-var", "base=other"} << QString();
        QTest::newRow("environment with a secret variable")
            << "queryStyles" << QStringList{"env:parity", "header:X-Token={{token}}", "query:env={{token}}"} << QString() << QString()
            << QStringList{"--env", "parity", "--param", "X-Token={{token}}", "--param", "env={{token}}"} << QString();
        QTest::newRow("apiKey header") << "secured" << QStringList() << QString() << QString() << QStringList() << "keyHeader";
        QTest::newRow("apiKey query") << "secured" << QStringList() << QString() << QString() << QStringList() << "keyQuery";
        QTest::newRow("apiKey cookie") << "secured" << QStringList() << QString() << QString() << QStringList() << "keyCookie";
        QTest::newRow("basic") << "secured" << QStringList() << QString() << QString() << QStringList() << "basicAuth";
        QTest::newRow("bearer") << "secured" << QStringList() << QString() << QString() << QStringList() << "bearerAuth";
        QTest::newRow("oauth2") << "secured" << QStringList() << QString() << QString() << QStringList() << "oauth";
    }
    void sameWireRequest()
    {
        QFETCH(QString, operation);
        QFETCH(QStringList, values);
        QFETCH(QString, contentType);
        QFETCH(QString, body);
        QFETCH(QStringList, cliArguments);
        QFETCH(QString, scheme);

        clearCredentials();
        if (scheme == QLatin1String("keyHeader") || scheme == QLatin1String("keyQuery") || scheme == QLatin1String("keyCookie"))
            QVERIFY(store(scheme, auth::CredentialKind::ApiKey, auth::secret::ApiKey, "key-" + scheme.toUtf8()));
        else if (scheme == QLatin1String("basicAuth"))
            QVERIFY(store(scheme, auth::CredentialKind::Basic, auth::secret::Password, "basic-pw"));
        else if (scheme == QLatin1String("bearerAuth"))
            QVERIFY(store(scheme, auth::CredentialKind::Bearer, auth::secret::Token, "bearer-tok"));
        else if (scheme == QLatin1String("oauth"))
            QVERIFY(store(scheme, auth::CredentialKind::OAuth2, auth::secret::AccessToken, "oauth-access-token"));

        // The desktop app: the operation page filled in as a user would, then Send.
        int index = -1;
        for (int i = 0; i < m_workspace->operations().size(); ++i)
            if (m_workspace->operations().at(i)->operationId() == operation)
                index = i;
        QVERIFY(index >= 0);
        m_workspace->showOperation(index);
        OperationPage *page = m_workspace->operationPage();
        page->selectEnvironment(QString());
        page->parameterForm()->setValues({});  // what an earlier row typed on the same operation goes
        for (const QString &value : values) {
            const QString key = value.section(QLatin1Char('='), 0, 0);
            const QString text = value.section(QLatin1Char('='), 1);
            if (key.startsWith(QLatin1String("env:"))) {
                page->selectEnvironment(key.mid(4));
            } else if (key.startsWith(QLatin1String("server:"))) {
                page->serverPicker()->setVariableValues({{page->serverPicker()->currentTemplate() + QLatin1Char('|') + key.mid(7), text}});
            } else {
                QVERIFY2(page->parameterForm()->field(key), qPrintable(key));
                page->parameterForm()->field(key)->setValue(text);
            }
        }
        if (!contentType.isEmpty())
            page->bodyEditor()->setContent(contentType, body);
        InspectorPanel *inspector = m_workspace->inspector();
        QSignalSpy finished(inspector, &InspectorPanel::exchangeFinished);
        inspector->send();
        QVERIFY2(finished.wait(20000), qPrintable(inspector->statusLabel()->text()));
        const http::Exchange exchange = finished.first().first().value<http::Exchange>();
        http::HarOptions unredacted;
        unredacted.redactSecrets = false;
        const QByteArray guiRecord = harRequest(http::toHar({exchange}, unredacted));
        const QByteArray guiEcho = withoutBoundaries(exchange.finalHop().response.body.read());
        page->serverPicker()->setVariableValues({});

        // portolan-cli: the same request from the command line, credentials chosen the same way.
        const QString har = m_dir.filePath(QStringLiteral("cli.har"));
        const Cli sent = cli(QStringList{QStringLiteral("call"), m_path, operation, QStringLiteral("--no-history"), QStringLiteral("--har"),
                                         har, QStringLiteral("--har-unredacted")}
                             + cliArguments);
        QVERIFY2(sent.code == 0, sent.err.constData());
        QFile harFile(har);
        QVERIFY(harFile.open(QIODevice::ReadOnly));
        const QByteArray cliRecord = harRequest(QJsonDocument::fromJson(harFile.readAll()).object());

        QCOMPARE(QString::fromUtf8(cliRecord), QString::fromUtf8(guiRecord));
        QCOMPARE(QString::fromUtf8(withoutBoundaries(sent.out)), QString::fromUtf8(guiEcho));
        // What the table is about actually reached the server.
        const QJsonObject echo = QJsonDocument::fromJson(guiEcho).object();
        if (scheme == QLatin1String("oauth"))
            QCOMPARE(echo.value(QStringLiteral("headers")).toObject().value(QStringLiteral("Authorization")).toString(),
                     QStringLiteral("Bearer oauth-access-token"));
        if (values.contains(QStringLiteral("env:parity")))
            QCOMPARE(echo.value(QStringLiteral("headers")).toObject().value(QStringLiteral("X-Token")).toString(),
                     QStringLiteral("secret-env-token"));
    }

    // The operation page shows the client core's message where it shows the requirement.
    void nothingSatisfiesIsShown()
    {
        clearCredentials();
        for (int i = 0; i < m_workspace->operations().size(); ++i)
            if (m_workspace->operations().at(i)->operationId() == QLatin1String("secured"))
                m_workspace->showOperation(i);
        const QString text = m_workspace->operationPage()->securityStatus()->text();
        QVERIFY2(text.contains(QLatin1String("No stored credential satisfies")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("portolan-cli login")), qPrintable(text));
    }

    // A relative tokenUrl: the set-up dialog prefills what the CLI's login resolves.
    void relativeTokenUrlInTheDialog_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("expected");
        QTest::newRow("3.0") << "3.0.3" << "https://api.example.com/v2/oauth/token";
        QTest::newRow("3.1") << "3.1.0" << QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("oauth/token"))).toString();
    }
    void relativeTokenUrlInTheDialog()
    {
        QFETCH(QString, version);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(QStringLiteral("relative.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QStringLiteral("openapi: %1\ninfo: {title: relative, version: '1'}\n"
                                  "servers: [{url: 'https://api.example.com/v2/'}]\npaths: {}\n"
                                  "components:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n"
                                  "        clientCredentials: {tokenUrl: oauth/token, scopes: {}}\n").arg(version).toUtf8());
        file.close();
        ApiWorkspace workspace(m_core.get(), QUrl::fromLocalFile(path));
        QSignalSpy loaded(&workspace, &ApiWorkspace::loadFinished);
        workspace.load();
        QVERIFY(loaded.wait(20000));
        SchemeSetupDialog *dialog = workspace.securityPanel()->setUp(QStringLiteral("oauth"));
        QVERIFY(dialog);
        QCOMPARE(dialog->field(QStringLiteral("tokenUrl"))->text(), expected);
        // portolan-cli's login of the same scheme tries exactly that URL.
        const Cli login = cli({QStringLiteral("login"), path, QStringLiteral("--scheme"), QStringLiteral("oauth"), QStringLiteral("--client-id"),
                               QStringLiteral("c")});
        QCOMPARE(login.code, 1);  // nobody answers there
        QVERIFY2(login.err.contains("Requesting tokens from " + expected.toUtf8()), login.err.constData());
        dialog->close();
    }

    // tls_client_auth from the dialog: the certificate path is kept, and a refresh presents it again.
    void tlsClientAuthLoginAndRefresh()
    {
        QTemporaryDir certificateDir;
        test::TestCertificates certificates;
        QString error;
        test::OidcProvider provider;
        QVERIFY2(provider.startWithMtls(certificateDir.path(), &certificates, &error), qPrintable(error));
        // The provider's test CA, trusted as Settings' extra CA certificates are.
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(certificates.caCertificate);
        QSslConfiguration::setDefaultConfiguration(ssl);

        const QString path = m_dir.filePath(QStringLiteral("mtls.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(provider.mtlsDocument());
        file.close();
        ApiWorkspace workspace(m_core.get(), QUrl::fromLocalFile(path));
        QSignalSpy loaded(&workspace, &ApiWorkspace::loadFinished);
        workspace.load();
        QVERIFY(loaded.wait(20000));
        SchemeSetupDialog *dialog = workspace.securityPanel()->setUp(QStringLiteral("mtls"));
        QVERIFY(dialog);
        dialog->setScopeChecked(QStringLiteral("api:read"), true);
        dialog->field(QStringLiteral("clientId"))->setText(QStringLiteral("portolan-mtls"));
        dialog->authMethodBox()->setCurrentText(QStringLiteral("tls_client_auth"));
        QVERIFY(dialog->field(QStringLiteral("clientCertificatePath"))->isVisibleTo(dialog));
        dialog->field(QStringLiteral("privateKeyPath"))->setText(certificates.clientKey);
        dialog->field(QStringLiteral("clientCertificatePath"))->setText(certificates.clientCertificate);
        dialog->field(QStringLiteral("username"))->setText(QStringLiteral("carol"));
        dialog->field(QStringLiteral("password"))->setText(QStringLiteral("demo-password"));
        QSignalSpy done(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QVERIFY2(done.wait(30000), qPrintable(dialog->statusLabel()->text()));
        QVERIFY2(done.first().first().toBool(), qPrintable(done.first().at(1).toString()));

        const QList<auth::CredentialInfo> stored = m_core->store()->forScheme(auth::apiIdentity(*workspace.document()), QStringLiteral("mtls"));
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().clientAuthMethod, QStringLiteral("tls_client_auth"));
        QCOMPARE(stored.first().clientCertificatePath, certificates.clientCertificate);
        QVERIFY(stored.first().hasRefreshToken);
        bool refreshed = false, answered = false;
        QString refreshError;
        m_core->tokens()->refresh(stored.first().id, [&](bool ok, const QString &e) {
            refreshed = ok;
            refreshError = e;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 30000);
        QVERIFY2(refreshed, qPrintable(refreshError));
        // Remembered for next time, without secrets.
        QCOMPARE(m_core->loginMemory().recall(auth::apiIdentity(*workspace.document()), QStringLiteral("mtls")).clientCertificatePath,
                 certificates.clientCertificate);
        clearCredentials();
    }
};

QTEST_MAIN(TestClientParity)
#include "tst_clientparity.moc"
