// portolan: the desktop API explorer.
//   portolan [FILE-OR-URL…]
#include "appsettings.h"
#include "clientcore.h"
#include "heapsteps.h"
#include "loginschemes.h"
#include "mainwindow.h"
#include "privatefiles.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEvent>
#include <QTimer>

namespace {
// For the start-up benchmark: quits once the main window has painted.
class QuitAfterFirstPaint : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            watched->removeEventFilter(this);
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
        return false;
    }
};
} // namespace

int main(int argc, char *argv[])
{
    portolan::growHeapsInLargeSteps();
    portolan::setApplicationNames();
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTOLAN_VERSION));
    // Qt WebEngine needs both before QApplication exists, although it is only
    // loaded when a login opens its window.
    portolan::gui::registerLoginUrlSchemes();
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Portolan"));
    QApplication::setDesktopFileName(QStringLiteral("org.portolan.Portolan"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Explore OpenAPI and Swagger descriptions and call their APIs."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("sources"), QStringLiteral("Files or http(s) URLs of API descriptions to open."),
                                 QStringLiteral("[FILE-OR-URL…]"));
    QCommandLineOption quitAfterShow(QStringLiteral("quit-after-first-paint"),
                                     QStringLiteral("Quit once the window has painted (start-up benchmark)."));
    parser.addOption(quitAfterShow);
    parser.process(app);

    portolan::gui::AppSettings::load().apply();

    // The client core every window, command and request of this process shares.
    portolan::client::ClientCore core;
    portolan::gui::MainWindow window(&core);
    QuitAfterFirstPaint quitAfterFirstPaint;
    if (parser.isSet(quitAfterShow))
        window.installEventFilter(&quitAfterFirstPaint);
    window.show();
    for (const QString &source : parser.positionalArguments())
        window.openSource(source);
    return app.exec();
}
