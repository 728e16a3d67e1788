// The request line and the themes, for real: an API tab (ApiWorkspace) on a
// description whose server is a real httpbin on loopback. The request line
// shows the URL the client core resolves, following a parameter edit and a
// server variable change; its Send button and Ctrl+Enter trigger the one Send
// action, each sending exactly one request. In the dark theme no widget of
// the operation page, the inspector or the security panel paints text on a
// background of its own that is lighter than the window (or reads badly);
// screenshots of both themes go to $PORTOLAN_SCREENSHOT_DIR.
#include "guitestsupport.h"
#include "httpbin.h"

#include "appsettings.h"
#include "apistatestore.h"
#include "apiworkspace.h"
#include "clientcore.h"
#include "operationpage.h"
#include "parameterfield.h"
#include "parameterform.h"
#include "requestline.h"
#include "serverpicker.h"
#include "themecolors.h"
#include "exchangelistmodel.h"
#include "inspectorpanel.h"
#include "securitypanel.h"

#include "historystore.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSplitter>
#include <QTemporaryDir>
#include <QToolButton>

using namespace portolan;
using namespace portolan::gui;

namespace {

const char kDocument[] = R"(openapi: 3.0.3
info: {title: Request line test, version: "1"}
servers:
  - url: "http://127.0.0.1:{port}/{base}"
    variables:
      port: {default: "PORT"}
      base: {default: anything, enum: [anything, anything/v2]}
paths:
  /items/{id}:
    get:
      operationId: getItem
      deprecated: true
      security: [{apiKey: []}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: q, in: query, schema: {type: string}}
      responses: {"200": {description: echo}}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-API-Key}
)";

// A background a widget paints itself (a style sheet, its own palette, a
// rich-text span) and the text drawn on it.
struct OwnBackground {
    QString where;
    QColor background;
    QColor text;
};

QColor cssValue(const QString &css, const QRegularExpression &pattern)
{
    const QRegularExpressionMatch match = pattern.match(css);
    return match.hasMatch() ? QColor(match.captured(1)) : QColor();
}

QList<OwnBackground> ownBackgrounds(QWidget *root)
{
    static const QRegularExpression background(QStringLiteral(R"(background(?:-color)?\s*:\s*(#[0-9a-fA-F]{6,8}|[a-zA-Z]+))"));
    static const QRegularExpression color(QStringLiteral(R"((?<![-\w])color\s*:\s*(#[0-9a-fA-F]{6,8}|[a-zA-Z]+))"));
    static const QRegularExpression span(QStringLiteral(R"(<span style="([^"]*background[^"]*)\")"));
    const QPalette application = QApplication::palette();
    QList<OwnBackground> found;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *widget : widgets) {
        if (!widget->isVisibleTo(root))
            continue;
        const QString name = QStringLiteral("%1 \"%2\"").arg(QString::fromLatin1(widget->metaObject()->className()),
                                                             widget->accessibleName().isEmpty() ? widget->objectName() : widget->accessibleName());
        const QString sheet = widget->styleSheet();
        const QColor sheetBackground = cssValue(sheet, background);
        if (sheetBackground.isValid() && sheetBackground.alpha() > 0) {
            const QColor text = cssValue(sheet, color);
            found.append({name + QStringLiteral(" style sheet"), sheetBackground,
                          text.isValid() ? text : widget->palette().color(widget->foregroundRole())});
        }
        if (widget->autoFillBackground()
            && widget->palette().color(widget->backgroundRole()) != application.color(widget->backgroundRole()))
            found.append({name + QStringLiteral(" palette"), widget->palette().color(widget->backgroundRole()),
                          widget->palette().color(widget->foregroundRole())});
        if (auto *label = qobject_cast<QLabel *>(widget)) {
            for (auto it = span.globalMatch(label->text()); it.hasNext();) {
                const QString style = it.next().captured(1);
                const QColor text = cssValue(style, color);
                found.append({name + QStringLiteral(" text span"), cssValue(style, background),
                              text.isValid() ? text : label->palette().color(QPalette::WindowText)});
            }
        }
    }
    return found;
}

} // namespace

class TestRequestLine : public QObject {
    Q_OBJECT
private:
    client::ClientCore m_core;
    test::HttpBin m_httpbin;
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<QSplitter> m_window;  // the API tab above its inspector, as the application shows them
    ApiWorkspace *m_workspace = nullptr;  // owned by m_window
    QString m_base;                       // http://127.0.0.1:PORT

    OperationPage *page() const { return m_workspace->operationPage(); }
    RequestLine *line() const { return page()->requestLine(); }

    void applyTheme(AppSettings::Theme theme)
    {
        AppSettings settings = AppSettings::load();
        settings.theme = theme;
        settings.apply();
        QCoreApplication::processEvents();
    }

    QJsonObject echoOf(const http::Exchange &exchange) const
    {
        return QJsonDocument::fromJson(exchange.finalHop().response.body.read()).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // httpbin is part of what the test command installs: missing is a failure (start() says so).
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
        m_base = QStringLiteral("http://127.0.0.1:%1").arg(m_httpbin.baseUrl().port());
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("line.yaml"));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(kDocument).replace("\"PORT\"", QByteArray::number(m_httpbin.baseUrl().port()).prepend('"').append('"')));
        file.close();
        QVERIFY(QDir(http::HistoryStore().directory()).removeRecursively());
        QFile::remove(ApiStateStore::filePathFor(QUrl::fromLocalFile(m_path)));

        m_window = std::make_unique<QSplitter>(Qt::Vertical);
        m_workspace = new ApiWorkspace(&m_core, QUrl::fromLocalFile(m_path), m_window.get());
        QSignalSpy loaded(m_workspace, &ApiWorkspace::loadFinished);
        m_workspace->load();
        QVERIFY(loaded.wait(20000));
        QVERIFY(loaded.first().first().toBool());
        m_window->addWidget(m_workspace);
        m_window->resize(1400, 950);
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QVERIFY(!m_workspace->operations().isEmpty());
        m_workspace->showOperation(0);
    }

    void showsTheResolvedUrl()
    {
        QCOMPARE(line()->methodLabel()->text(), QStringLiteral("GET"));
        QVERIFY(line()->isVisible());
        // Before a value is given, the path parameter shows as its placeholder.
        QCOMPARE(line()->url(), m_base + QStringLiteral("/anything/items/{id}"));
    }

    void followsParameterEdits()
    {
        page()->parameterForm()->field(QStringLiteral("path:id"))->setValue(QStringLiteral("42"));
        QCOMPARE(line()->url(), m_base + QStringLiteral("/anything/items/42"));
        page()->parameterForm()->field(QStringLiteral("query:q"))->setValue(QStringLiteral("blue cheese"));
        QCOMPARE(line()->url(), m_base + QStringLiteral("/anything/items/42?q=blue%20cheese"));
    }

    void followsServerVariables()
    {
        QList<QComboBox *> boxes = page()->serverPicker()->findChildren<QComboBox *>();
        QComboBox *variable = nullptr;
        for (QComboBox *box : boxes)
            if (box->accessibleName() == QStringLiteral("Server variable base"))
                variable = box;
        QVERIFY(variable);
        variable->setCurrentText(QStringLiteral("anything/v2"));
        QCOMPARE(line()->url(), m_base + QStringLiteral("/anything/v2/items/42?q=blue%20cheese"));
    }

    void sendButtonAndShortcutSendOneRequestEach()
    {
        InspectorPanel *inspector = m_workspace->inspector();
        QToolButton *send = line()->sendButton();
        QVERIFY(send->isVisible());
        QCOMPARE(send->defaultAction(), inspector->sendAction());
        QVERIFY(send->isEnabled());
        const int before = inspector->history()->rowCount();

        QSignalSpy finished(inspector, &InspectorPanel::exchangeFinished);
        QTest::mouseClick(send, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QTest::qWait(300);  // a second send would have started by now
        QCOMPARE(finished.size(), 1);
        QCOMPARE(inspector->history()->rowCount(), before + 1);
        const http::Exchange clicked = finished.first().first().value<http::Exchange>();
        QVERIFY2(clicked.hasResponse(), qPrintable(clicked.errorMessage));
        // What was sent is what the request line said.
        const QJsonObject echo = echoOf(clicked);
        QVERIFY2(echo.value(QLatin1String("url")).toString().contains(QLatin1String("/anything/v2/items/42?q=blue")),
                 qPrintable(echo.value(QLatin1String("url")).toString()));
        QCOMPARE(echo.value(QLatin1String("args")).toObject().value(QLatin1String("q")).toString(), QStringLiteral("blue cheese"));

        finished.clear();
        QWidget *focus = page()->parameterForm()->field(QStringLiteral("query:q"));
        focus->setFocus();
        QTest::keyClick(focus, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(finished.wait(20000));
        QTest::qWait(300);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(inspector->history()->rowCount(), before + 2);
    }

    // A value its schema refuses is not sent; the status names it, and Send Anyway sends it.
    void refusedValuesCanBeSentAnyway()
    {
        InspectorPanel *inspector = m_workspace->inspector();
        ParameterField *id = page()->parameterForm()->field(QStringLiteral("path:id"));
        const QString kept = id->value();
        auto restore = qScopeGuard([&] { id->setValue(kept); });
        id->setValue(QStringLiteral("abc"));
        QSignalSpy finished(inspector, &InspectorPanel::exchangeFinished);
        QVERIFY(!inspector->sendAnywayButton()->isVisible());
        QTest::mouseClick(line()->sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(inspector->sendAnywayButton()->isVisible(), 5000);
        QVERIFY2(inspector->statusLabel()->text().contains(QLatin1String("id")), qPrintable(inspector->statusLabel()->text()));
        QCOMPARE(finished.size(), 0);

        QTest::mouseClick(inspector->sendAnywayButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(!inspector->sendAnywayButton()->isVisible());
        const QJsonObject echo = echoOf(finished.first().first().value<http::Exchange>());
        QVERIFY2(echo.value(QLatin1String("url")).toString().contains(QLatin1String("/items/abc")),
                 qPrintable(echo.value(QLatin1String("url")).toString()));
    }

    void darkThemeHasNoLightBackgrounds()
    {
        applyTheme(AppSettings::Theme::Dark);
        const QPalette palette = QApplication::palette();
        QVERIFY(isDark(palette));
        const QColor window = palette.color(QPalette::Window);
        QWidget *roots[] = {page(), m_workspace->inspector(), m_workspace->securityPanel()};
        int checked = 0;
        for (QWidget *root : roots) {
            QVERIFY(root);
            for (const OwnBackground &own : ownBackgrounds(root)) {
                ++checked;
                // A tinted background darker than the window, or an accent fill
                // (method badge, Send) under lighter text; either way readable.
                const bool darkBackground = own.background.lightness() <= window.lightness();
                const bool lightTextOnFill = own.text.lightness() > own.background.lightness();
                QVERIFY2(darkBackground || lightTextOnFill,
                         qPrintable(QStringLiteral("%1: %2 under %3 is lighter than the window %4")
                                        .arg(own.where, own.background.name(), own.text.name(), window.name())));
                QVERIFY2(contrastRatio(own.text, own.background) >= 4.5,
                         qPrintable(QStringLiteral("%1: %2 on %3 reads badly").arg(own.where, own.text.name(), own.background.name())));
            }
        }
        // The method badge, DEPRECATED and Send were among them.
        QVERIFY2(checked >= 3, qPrintable(QString::number(checked)));
        // The tones banners and markers use, whether shown now or not.
        for (Tone tone : {Tone::Error, Tone::Warning, Tone::Success, Tone::Info}) {
            QVERIFY(toneBackground(tone, palette).lightness() <= window.lightness());
            QVERIFY(contrastRatio(toneBackgroundText(tone, palette), toneBackground(tone, palette)) >= 4.5);
            QVERIFY(contrastRatio(toneText(tone, palette), window) >= 4.5);
        }
        test::saveScreenshot(m_window.get(), QStringLiteral("operation-dark"));
    }

    void lightThemeReadsToo()
    {
        applyTheme(AppSettings::Theme::Light);
        const QPalette palette = QApplication::palette();
        QVERIFY(!isDark(palette));
        for (QWidget *root : {static_cast<QWidget *>(page()), static_cast<QWidget *>(m_workspace->inspector())})
            for (const OwnBackground &own : ownBackgrounds(root))
                QVERIFY2(contrastRatio(own.text, own.background) >= 4.5,
                         qPrintable(QStringLiteral("%1: %2 on %3 reads badly").arg(own.where, own.text.name(), own.background.name())));
        for (Tone tone : {Tone::Error, Tone::Warning, Tone::Success, Tone::Info}) {
            QVERIFY(contrastRatio(toneBackgroundText(tone, palette), toneBackground(tone, palette)) >= 4.5);
            QVERIFY(contrastRatio(toneText(tone, palette), palette.color(QPalette::Base)) >= 4.5);
        }
        test::saveScreenshot(m_window.get(), QStringLiteral("operation-light"));
    }

    void cleanupTestCase()
    {
        applyTheme(AppSettings::Theme::System);
        m_window.reset();
    }
};

QTEST_MAIN(TestRequestLine)
#include "tst_requestline.moc"
