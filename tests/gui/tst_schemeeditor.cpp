// The user's own security schemes in the desktop app, for real: a document
// that declares none (a small one, and GitHub's real description from npm
// @octokit/openapi) gets the provider presets offered in the security panel;
// a scheme added from a preset (placeholder filled in), edited, required by
// the whole API and by one operation, is what the operation page shows and
// what the real portolan-cli reads; then removed. Three presets log in
// through the real embedded browser against loopback stand-ins of their
// providers (tests/services/providers), and the stored token reaches
// Debian's httpbin. Real keychain (gnome-keyring in dbus-run-session).
#include "guitestsupport.h"
#include "httpbin.h"
#include "providerstandins.h"

#include "apiworkspace.h"
#include "appsettings.h"
#include "browserloginwindow.h"
#include "clientcore.h"
#include "inspectorpanel.h"
#include "loginschemes.h"
#include "logindriver.h"
#include "operationpage.h"
#include "privatefiles.h"
#include "parameterform.h"
#include "schemeeditordialog.h"
#include "schemesetupdialog.h"
#include "schemestatemodel.h"
#include "securitypanel.h"
#include "securityrequirementview.h"
#include "themecolors.h"

#include "credentialstore.h"
#include "providerpresets.h"
#include "requestsigner.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUrlQuery>

using namespace portolan;
using namespace portolan::gui;

namespace {

// No security scheme, no requirement: how many real descriptions are.
const char kDocument[] = R"(openapi: 3.0.3
info: {title: Undeclared API, version: "1"}
servers: [{url: "HTTPBIN"}]
paths:
  /anything:
    get:
      operationId: getAnything
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses: {"200": {description: echo}}
  /anything/other:
    get:
      operationId: getOther
      parameters:
        - {name: X-Need, in: header, required: true, schema: {type: string}}
      responses: {"200": {description: echo}}
)";

QString cliProgram()
{
    return QStringLiteral(PORTOLAN_BINARY_DIR "/app/cli/portolan-cli");
}

} // namespace

class TestSchemeEditor : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<client::ClientCore> m_core;
    test::ProviderStandIns m_standIns;
    test::HttpBin m_httpbin;
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<QSplitter> m_window;
    ApiWorkspace *m_workspace = nullptr;  // owned by m_window

    SecurityPanel *panel() const { return m_workspace->securityPanel(); }

    struct Cli {
        int code = -1;
        QString out, err;
    };
    static Cli cli(const QStringList &arguments)
    {
        QProcess process;
        process.start(cliProgram(), arguments);
        if (!process.waitForFinished(120'000))
            process.kill();
        process.waitForFinished();
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    // Opens `path` in a fresh workspace and waits for it.
    bool open(const QString &path, int timeoutMs = 20'000)
    {
        m_window = std::make_unique<QSplitter>(Qt::Vertical);
        m_workspace = new ApiWorkspace(m_core.get(), QUrl::fromLocalFile(path), m_window.get());
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        m_workspace->load();
        if (!loaded.wait(timeoutMs) || !loaded.first().first().toBool())
            return false;
        m_window->addWidget(m_workspace);
        m_window->resize(1400, 950);
        m_window->show();
        return true;
    }

    // Accepts the editor (its Save button) and waits for the document to be loaded again with the change.
    bool saveAndReload(SchemeEditorDialog *editor, int timeoutMs = 20'000)
    {
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        auto *buttons = editor->findChild<QDialogButtonBox *>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::Save), Qt::LeftButton);
        return loaded.wait(timeoutMs) && loaded.first().first().toBool();
    }

    // Runs a panel action that saves the user's schemes, and waits for the reload.
    template<typename Action>
    bool changeAndReload(Action action, int timeoutMs = 20'000)
    {
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        if (!action())
            return false;
        return loaded.wait(timeoutMs) && loaded.first().first().toBool();
    }

    void showOperation(const QString &operationId)
    {
        const auto &operations = m_workspace->operations();
        for (int i = 0; i < operations.size(); ++i)
            if (operations.at(i)->operationId() == operationId)
                m_workspace->showOperation(i);
    }

    QString requirementShown() const
    {
        return m_workspace->operationPage()->securityView()->alternativeTexts().join(QLatin1Char('|'));
    }

    void clearCredentials() { test::clearCredentials(m_core->store()); }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no D-Bus session: run inside dbus-run-session with gnome-keyring unlocked (tests/run-all.sh does)");
        QVERIFY2(QFile::exists(cliProgram()), "build portolan-cli first");
        m_core = std::make_unique<client::ClientCore>();
        QString error;
        QVERIFY2(m_standIns.start(&error), qPrintable(error));
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        m_path = m_dir.filePath(QStringLiteral("undeclared.yaml"));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(kDocument).replace("HTTPBIN", m_httpbin.baseUrl().toString().toUtf8()));
        file.close();
        clearCredentials();
        QVERIFY(open(m_path));
    }

    void firstRunOffersThePresets()
    {
        // The panel says so and offers every preset and "Add scheme…" in place.
        QVERIFY(panel()->offer()->isVisibleTo(panel()));
        QCOMPARE(panel()->model()->rowCount(), 0);
        QCOMPARE(panel()->offerPresets()->count(), auth::ProviderPresets::builtIn().all().size());
        QVERIFY(panel()->offer()->findChild<QPushButton *>(QStringLiteral("offerAddScheme")));
        // An operation does not claim "no authentication".
        showOperation(QStringLiteral("getAnything"));
        QCOMPARE(requirementShown(), QStringLiteral("Undeclared"));
        // Its "security panel" link opens the panel, where the offer is.
        QVERIFY(!panel()->isVisible());
        Q_EMIT m_workspace->operationPage()->securityView()->linkActivated(QStringLiteral("scheme:"));
        QVERIFY(panel()->isVisible());
        QVERIFY(panel()->offer()->isVisible());
        test::saveScreenshot(m_window.get(), QStringLiteral("60-no-scheme-offer"));
    }

    void addEditRequireAndRemoveFromAPreset()
    {
        showOperation(QStringLiteral("getAnything"));
        // What the user typed in the operation's form survives every reload below.
        auto *query = m_workspace->operationPage()->parameterForm()->findChild<QLineEdit *>();
        QVERIFY(query);
        QTest::keyClicks(query, QStringLiteral("kept"));

        // The offer's preset picker opens the editor on that preset, which asks for its placeholder.
        panel()->offerPresets()->setCurrentIndex(panel()->offerPresets()->findData(QStringLiteral("keycloak")));
        QTest::mouseClick(panel()->offer()->findChild<QPushButton *>(QStringLiteral("usePreset")), Qt::LeftButton);
        auto *editor = panel()->findChild<SchemeEditorDialog *>();
        QVERIFY(editor && editor->isVisible());
        QCOMPARE(editor->presetBox()->currentData().toString(), QStringLiteral("keycloak"));
        QVERIFY(editor->presetDocumentation()->text().contains(QStringLiteral("keycloak.org")));
        QVERIFY(editor->statusLabel()->text().contains(QStringLiteral("{baseUrl}")));  // not filled yet
        editor->placeholderField(QStringLiteral("baseUrl"))->setText(QStringLiteral("https://sso.example.com"));
        editor->placeholderField(QStringLiteral("realm"))->setText(QStringLiteral("acme"));
        QTest::mouseClick(editor->findChild<QPushButton *>(QStringLiteral("fillFromPreset")), Qt::LeftButton);
        QCOMPARE(editor->field(QStringLiteral("authorizationCode.tokenUrl"))->text(),
                 QStringLiteral("https://sso.example.com/realms/acme/protocol/openid-connect/token"));
        QVERIFY(editor->flowBox(OAuthFlowKind::AuthorizationCode)->isChecked());
        editor->field(QStringLiteral("name"))->setText(QStringLiteral("sso"));
        test::saveScreenshot(editor, QStringLiteral("61-scheme-from-preset"));
        QVERIFY(saveAndReload(editor));

        // Marked as the user's in the panel and on the operation page, which is still open with its input.
        const int row = panel()->model()->rowOf(QStringLiteral("sso"));
        QVERIFY(row >= 0);
        QCOMPARE(panel()->model()->index(row, SchemeStateModel::SchemeColumn).data().toString(), QStringLiteral("sso (yours)"));
        QCOMPARE(m_workspace->operationPage()->operation()->operationId(), QStringLiteral("getAnything"));
        QCOMPARE(m_workspace->operationPage()->parameterForm()->values().value(QStringLiteral("query:q")), QStringLiteral("kept"));
        QCOMPARE(requirementShown(), QStringLiteral("sso (yours)"));
        QVERIFY(m_workspace->operationPage()->securityView()->text().contains(QStringLiteral("Set by you")));
        QVERIFY(panel()->offer()->isVisibleTo(panel()));  // the document itself still declares none

        // The real CLI reads the same file.
        Cli listed = cli({QStringLiteral("scheme"), QStringLiteral("list"), m_path});
        QVERIFY2(listed.code == 0, qPrintable(listed.err));
        QVERIFY2(listed.out.contains(QStringLiteral("sso  oauth2  (yours, preset keycloak)")), qPrintable(listed.out));
        QVERIFY(listed.out.contains(QStringLiteral("token https://sso.example.com/realms/acme/protocol/openid-connect/token")));
        QVERIFY(listed.out.contains(QStringLiteral("API requirement: sso (yours)")));

        // Edit: another token URL and a scope.
        editor = panel()->editScheme(QStringLiteral("sso"));
        QVERIFY(editor);
        QVERIFY(!editor->presetBox());
        editor->field(QStringLiteral("authorizationCode.tokenUrl"))->setText(QStringLiteral("https://sso.example.com/token"));
        QPlainTextEdit *scopes = editor->scopesEdit(OAuthFlowKind::AuthorizationCode);
        scopes->setPlainText(scopes->toPlainText() + QStringLiteral("\napi:write = Change things"));
        QVERIFY(saveAndReload(editor));
        listed = cli({QStringLiteral("scheme"), QStringLiteral("list"), m_path});
        QVERIFY2(listed.out.contains(QStringLiteral("token https://sso.example.com/token")), qPrintable(listed.out));
        QVERIFY(listed.out.contains(QStringLiteral("api:write")));
        QVERIFY(listed.out.contains(QStringLiteral("(yours, preset keycloak)")));  // the preset's login defaults stay

        // A name that is taken is refused in the dialog, which keeps what was typed.
        editor = panel()->addScheme();
        editor->typeBox()->setCurrentText(QStringLiteral("http"));
        editor->field(QStringLiteral("name"))->setText(QStringLiteral("sso"));
        editor->field(QStringLiteral("bearerFormat"))->setText(QStringLiteral("JWT"));
        QTest::mouseClick(editor->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
        QVERIFY(editor->isVisible());
        QVERIFY2(editor->statusLabel()->text().contains(QStringLiteral("exists already")), qPrintable(editor->statusLabel()->text()));
        QCOMPARE(editor->field(QStringLiteral("bearerFormat"))->text(), QStringLiteral("JWT"));
        editor->close();

        // A second scheme of the user's, by hand, required by one operation only.
        editor = panel()->addScheme();
        editor->typeBox()->setCurrentText(QStringLiteral("apiKey"));
        editor->field(QStringLiteral("name"))->setText(QStringLiteral("key"));
        QTest::mouseClick(editor->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
        QVERIFY(editor->isVisible());  // refused: no parameter name, said in the dialog
        QVERIFY(editor->statusLabel()->text().contains(QStringLiteral("name and in")));
        editor->field(QStringLiteral("parameterName"))->setText(QStringLiteral("X-Key"));
        QVERIFY(saveAndReload(editor));
        showOperation(QStringLiteral("getOther"));
        QVERIFY(changeAndReload([this] { return panel()->requireScheme(QStringLiteral("key"), true); }));
        QCOMPARE(m_workspace->operationPage()->operation()->operationId(), QStringLiteral("getOther"));
        QCOMPARE(requirementShown(), QStringLiteral("key (yours)"));
        listed = cli({QStringLiteral("scheme"), QStringLiteral("list"), m_path});
        QVERIFY2(listed.out.contains(QStringLiteral("Operation GET /anything/other: key (yours)")), qPrintable(listed.out));
        test::saveScreenshot(m_window.get(), QStringLiteral("62-users-requirement"));

        // Removed: the requirement naming it goes too, and the CLI sees the file as the panel left it.
        panel()->view()->selectRow(panel()->model()->rowOf(QStringLiteral("key")));
        QVERIFY(panel()->removeButton()->isEnabled());
        QVERIFY(changeAndReload([this] {
            QTest::mouseClick(panel()->removeButton(), Qt::LeftButton);
            return true;
        }));
        QCOMPARE(panel()->model()->rowOf(QStringLiteral("key")), -1);
        QCOMPARE(requirementShown(), QStringLiteral("sso (yours)"));  // back to the API's requirement
        QVERIFY(changeAndReload([this] { return panel()->removeScheme(QStringLiteral("sso")); }));
        QCOMPARE(panel()->model()->rowCount(), 0);
        QCOMPARE(requirementShown(), QStringLiteral("Undeclared"));
        listed = cli({QStringLiteral("scheme"), QStringLiteral("list"), m_path});
        QVERIFY(listed.out.contains(QStringLiteral("The document declares no security schemes.")));
        QVERIFY2(!listed.out.contains(QStringLiteral("sso")), qPrintable(listed.out));
    }

    void editingTheDocumentsSchemeKeepsAVersionOfTheUsers()
    {
        // A document scheme edited in the panel becomes the user's version; "Revert" brings the document's back.
        const QString path = m_dir.filePath(QStringLiteral("declared.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(kDocument)
                       .replace("HTTPBIN", m_httpbin.baseUrl().toString().toUtf8())
                       .append("components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Wrong}\n"
                               "security: [{key: []}]\n"));
        file.close();
        QVERIFY(open(path));
        QVERIFY(!panel()->offer()->isVisibleTo(panel()));
        SchemeEditorDialog *editor = panel()->editScheme(QStringLiteral("key"));
        QCOMPARE(editor->field(QStringLiteral("parameterName"))->text(), QStringLiteral("X-Wrong"));
        editor->field(QStringLiteral("parameterName"))->setText(QStringLiteral("X-Right"));
        QVERIFY(saveAndReload(editor));
        const int row = panel()->model()->rowOf(QStringLiteral("key"));
        QCOMPARE(panel()->model()->index(row, SchemeStateModel::TypeColumn).data().toString(), QStringLiteral("API key in header “X-Right”"));
        panel()->view()->selectRow(row);
        QCOMPARE(panel()->removeButton()->text(), QStringLiteral("Revert to the document's"));
        QVERIFY(cli({QStringLiteral("scheme"), QStringLiteral("list"), path}).out.contains(QStringLiteral("key  apiKey header X-Right  (yours)")));
        QVERIFY(changeAndReload([this] { return panel()->removeScheme(QStringLiteral("key")); }));
        QCOMPARE(panel()->model()->index(panel()->model()->rowOf(QStringLiteral("key")), SchemeStateModel::TypeColumn).data().toString(),
                 QStringLiteral("API key in header “X-Wrong”"));
        QVERIFY(!panel()->removeButton()->isEnabled());
        QVERIFY(open(m_path));
    }

    void presetLoginInTheEmbeddedBrowser_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QStringList>("placeholders");  // name, value, …
        QTest::addColumn<QString>("clientAuthentication");  // what the preset says the provider expects
        QTest::newRow("github web flow") << "github" << QStringList() << "client_secret_post";
        QTest::newRow("discord") << "discord" << QStringList() << "client_secret_basic";
        QTest::newRow("keycloak") << "keycloak" << QStringList{"baseUrl", "https://sso.example.com", "realm", "demo"}
                                  << "client_secret_basic";
    }
    void presetLoginInTheEmbeddedBrowser()
    {
        QFETCH(QString, id);
        QFETCH(QStringList, placeholders);
        QFETCH(QString, clientAuthentication);
        const QString name = QStringLiteral("login-") + id;
        showOperation(QStringLiteral("getAnything"));

        // The scheme from the preset, its endpoints pointed at the provider's loopback stand-in.
        SchemeEditorDialog *editor = panel()->addScheme(id);
        for (int i = 0; i + 1 < placeholders.size(); i += 2)
            editor->placeholderField(placeholders.at(i))->setText(placeholders.at(i + 1));
        QVERIFY2(editor->fillFromPreset(), qPrintable(editor->statusLabel()->text()));
        editor->field(QStringLiteral("name"))->setText(name);
        for (const char *url : {"authorizationUrl", "tokenUrl"}) {
            QLineEdit *line = editor->field(QStringLiteral("authorizationCode.") + QLatin1String(url));
            line->setText(m_standIns.standInFor(id, QUrl(line->text())).toString());
        }
        QVERIFY(saveAndReload(editor));
        // The Requirement menu, as the user picks from it (the new scheme is selected).
        QMenu *menu = panel()->requirementButton()->menu();
        Q_EMIT menu->aboutToShow();
        QAction *wholeApi = menu->actions().value(0);
        QVERIFY(wholeApi && wholeApi->isEnabled());
        QCOMPARE(wholeApi->text(), QStringLiteral("The whole API requires ") + name);
        QVERIFY(changeAndReload([&] {
            wholeApi->trigger();
            return true;
        }));
        QCOMPARE(requirementShown(), name + QStringLiteral(" (yours)"));

        // The login form starts from what the preset says about the provider.
        SchemeSetupDialog *dialog = panel()->setUp(name);
        QVERIFY(dialog);
        QVERIFY(dialog->windowTitle().contains(QStringLiteral("your scheme")));
        dialog->setFlow(OAuthFlowKind::AuthorizationCode);
        QCOMPARE(dialog->authMethodBox()->currentText(), clientAuthentication);
        QVERIFY(dialog->pkceBox()->isChecked());
        QVERIFY(!dialog->field(QStringLiteral("redirectUri"))->text().isEmpty());  // the preset's suggestion
        QLineEdit *discovery = dialog->field(QStringLiteral("discoveryUrl"));
        if (!discovery->text().isEmpty())  // the provider's metadata, at the stand-in
            discovery->setText(m_standIns.standInFor(id, QUrl(discovery->text())).toString());
        dialog->field(QStringLiteral("clientId"))->setText(QStringLiteral("portolan-") + id);
        dialog->field(QStringLiteral("clientSecret"))->setText(QStringLiteral("secret-") + id);

        QSignalSpy finished(dialog, &SchemeSetupDialog::setupFinished);
        dialog->submit();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->driver() && dialog->driver()->browserWindow(), 30000);
        BrowserLoginWindow *window = dialog->driver()->browserWindow();
        // The embedded browser loads the stand-in's authorize page, which redirects back with a code.
        QVERIFY2(window->authorizationUrl().toString().startsWith(m_standIns.standInFor(id, QUrl(QStringLiteral("/"))).toString()),
                 qPrintable(window->authorizationUrl().toString()));
        QVERIFY2(finished.count() || finished.wait(60000), qPrintable(dialog->statusLabel()->text()));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(1).toString()));

        const QList<auth::CredentialInfo> stored = m_core->store()->forScheme(auth::apiIdentity(*m_workspace->document()), name);
        QCOMPARE(stored.size(), 1);
        QVERIFY2(!stored.first().sessionOnly, "no keychain: run inside dbus-run-session with gnome-keyring unlocked");

        // Sent from the app to httpbin: the Authorization header arrives.
        InspectorPanel *inspector = m_workspace->inspector();
        QSignalSpy sent(inspector, &InspectorPanel::exchangeFinished);
        inspector->send();
        QVERIFY(sent.wait(20000));
        const http::Exchange exchange = sent.first().first().value<http::Exchange>();
        QVERIFY2(exchange.hasResponse(), qPrintable(exchange.errorMessage));
        const QJsonObject echo = QJsonDocument::fromJson(exchange.finalHop().response.body.read()).object();
        const QString authorization = echo.value(QLatin1String("headers")).toObject().value(QLatin1String("Authorization")).toString();
        QVERIFY2(authorization.startsWith(QStringLiteral("Bearer %1-access-").arg(id)), qPrintable(authorization));

        QVERIFY(changeAndReload([&] { return panel()->removeScheme(name); }));
        clearCredentials();
    }

    void themeChangeRecoloursMarksAndLinks()
    {
        // Switching the theme recolours what rich text baked in: required marks, the panel's links.
        showOperation(QStringLiteral("getOther"));
        QLabel *required = nullptr;
        for (QLabel *label : m_workspace->operationPage()->parameterForm()->findChildren<QLabel *>())
            if (label->text().startsWith(QLatin1String("X-Need")))
                required = label;
        QVERIFY(required);
        for (const AppSettings::Theme theme : {AppSettings::Theme::Dark, AppSettings::Theme::Light}) {
            AppSettings settings = AppSettings::load();
            settings.theme = theme;
            settings.apply();
            QCoreApplication::processEvents();
            const QPalette palette = QApplication::palette();
            QCOMPARE(isDark(palette), theme == AppSettings::Theme::Dark);
            QVERIFY2(required->text().contains(cssColor(toneText(Tone::Error, palette))), qPrintable(required->text()));
            QLabel *documentation = nullptr;
            for (QLabel *label : panel()->offer()->findChildren<QLabel *>())
                if (label->text().contains(QLatin1String("<a ")))
                    documentation = label;
            QVERIFY(documentation);
            QVERIFY2(documentation->text().contains(cssColor(linkText(palette))), qPrintable(documentation->text()));
            // The operation page's "security panel" link too.
            QTRY_VERIFY2(m_workspace->operationPage()->securityView()->text().contains(cssColor(linkText(palette))),
                         qPrintable(m_workspace->operationPage()->securityView()->text()));
            QVERIFY(contrastRatio(linkText(palette), palette.color(QPalette::Window)) >= 4.5);
            if (theme == AppSettings::Theme::Dark)
                test::saveScreenshot(m_window.get(), QStringLiteral("63-no-scheme-offer-dark"));
        }
    }

    void githubsRealDescription()
    {
        // GitHub's own description declares no scheme: the offer is there and the GitHub preset works.
        const QString description =
            QStringLiteral(PORTOLAN_SOURCE_DIR "/.deps/node/node_modules/@octokit/openapi/generated/api.github.com.json");
        QVERIFY2(QFile::exists(description), "npm @octokit/openapi is not installed in .deps/node (run packaging/install-deps.sh)");
        QVERIFY(open(description, 120'000));
        QVERIFY(panel()->offer()->isVisibleTo(panel()));
        showOperation(QStringLiteral("users/get-authenticated"));
        QCOMPARE(requirementShown(), QStringLiteral("Undeclared"));
        Q_EMIT m_workspace->operationPage()->securityView()->linkActivated(QStringLiteral("scheme:"));
        QVERIFY(panel()->offer()->isVisible());
        panel()->offerPresets()->setCurrentIndex(panel()->offerPresets()->findData(QStringLiteral("github")));
        QTest::mouseClick(panel()->offer()->findChild<QPushButton *>(QStringLiteral("usePreset")), Qt::LeftButton);
        auto *editor = panel()->findChild<SchemeEditorDialog *>();
        QVERIFY(editor);
        QCOMPARE(editor->field(QStringLiteral("authorizationCode.authorizationUrl"))->text(),
                 QStringLiteral("https://github.com/login/oauth/authorize"));
        QVERIFY(saveAndReload(editor, 120'000));
        QCOMPARE(m_workspace->operationPage()->operation()->operationId(), QStringLiteral("users/get-authenticated"));
        QCOMPARE(requirementShown(), QStringLiteral("github (yours)"));
        const Cli listed = cli({QStringLiteral("scheme"), QStringLiteral("list"), description});
        QVERIFY2(listed.out.contains(QStringLiteral("API requirement: github (yours)")), qPrintable(listed.out + listed.err));
        QVERIFY(changeAndReload([this] { return panel()->removeScheme(QStringLiteral("github")); }, 120'000));
        QCOMPARE(requirementShown(), QStringLiteral("Undeclared"));
    }
};

int main(int argc, char *argv[])
{
    // The GUI and the portolan-cli it runs share one throwaway data folder (the user's schemes live there).
    QTemporaryDir data;
    qputenv("XDG_DATA_HOME", data.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CONFIG_HOME", data.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_CACHE_HOME", data.filePath(QStringLiteral("cache")).toUtf8());
    registerLoginUrlSchemes();  // before QApplication, as in the application
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    setApplicationNames();  // the same files and keychain entries as portolan-cli
    TestSchemeEditor test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_schemeeditor.moc"
