#include "mainwindow.h"

#include "apimodel.h"
#include "apiworkspace.h"
#include "appsettings.h"
#include "documentloader.h"
#include "navigatorpanel.h"
#include "recentdocuments.h"
#include "settingsdialog.h"
#include "clientcore.h"
#include "tokenmanagerview.h"
#include "welcomepage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>

namespace portolan::gui {

MainWindow::MainWindow(client::ClientCore *core, QWidget *parent)
    : QMainWindow(parent), m_core(core), m_recent(new RecentDocuments(this)), m_central(new QStackedWidget(this)),
      m_welcome(new WelcomePage(m_recent, m_central)), m_tabs(new QTabWidget(m_central))
{
    setWindowTitle(tr("Portolan"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/portolan.svg")));
    setAcceptDrops(true);

    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setAccessibleName(tr("Open APIs"));
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeWorkspace);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        const ApiWorkspace *workspace = currentWorkspace();
        setWindowTitle(workspace ? tr("%1 — Portolan").arg(workspace->title()) : tr("Portolan"));
    });
    m_central->addWidget(m_welcome);
    m_central->addWidget(m_tabs);
    setCentralWidget(m_central);

    connect(m_welcome, &WelcomePage::openFileRequested, this, &MainWindow::openFileDialog);
    connect(m_welcome, &WelcomePage::openUrlRequested, this, &MainWindow::openUrlDialog);
    connect(m_welcome, &WelcomePage::openDemoRequested, this, &MainWindow::openDemo);
    connect(m_welcome, &WelcomePage::openRecentRequested, this, &MainWindow::openUrl);

    createMenus();
    statusBar()->showMessage(tr("Ready"), 2000);

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray()))
        resize(1400, 900);
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open…"), this, &MainWindow::openFileDialog);
    open->setShortcut(QKeySequence::Open);
    QAction *openUrlAction = file->addAction(tr("Open &URL…"), this, &MainWindow::openUrlDialog);
    openUrlAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recent, &RecentDocuments::changed, this, &MainWindow::updateRecentMenu);
    updateRecentMenu();
    file->addAction(tr("Open the &Demo API"), this, &MainWindow::openDemo);
    file->addSeparator();
    QAction *reload = file->addAction(tr("Re&load"), this, [this] {
        if (ApiWorkspace *workspace = currentWorkspace())
            workspace->load();
    });
    reload->setShortcut(QKeySequence::Refresh);
    QAction *close = file->addAction(tr("&Close API"), this, [this] {
        if (m_tabs->count() > 0)
            closeWorkspace(m_tabs->currentIndex());
    });
    close->setShortcut(QKeySequence::Close);
    file->addSeparator();
    QAction *settings = file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence::Preferences);
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *filter = view->addAction(tr("&Filter Operations"), this, &MainWindow::focusFilter);
    filter->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_L), QKeySequence(Qt::CTRL | Qt::Key_K)});
    QAction *overview = view->addAction(tr("API &Overview"), this, [this] {
        if (ApiWorkspace *workspace = currentWorkspace())
            workspace->showOverview();
    });
    overview->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Home));
    QAction *diagnostics = view->addAction(tr("&Diagnostics and Source"), this, [this] {
        if (ApiWorkspace *workspace = currentWorkspace())
            workspace->toggleBottomPane();
    });
    diagnostics->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));

    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    QAction *tokens = tools->addAction(tr("&Tokens and Credentials…"), this, [this] {
        // One window for every API's credentials, made when first asked for.
        auto *manager = findChild<TokenManagerView *>();
        if (!manager) {
            manager = new TokenManagerView(m_core, this);
            manager->setWindowFlag(Qt::Window);
            manager->resize(1000, 560);
        }
        manager->show();
        manager->raise();
        manager->activateWindow();
    });
    tokens->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Portolan"), this, [this] {
        QMessageBox::about(this, tr("About Portolan"),
                           tr("<h3>Portolan %1</h3><p>A native explorer for OpenAPI and Swagger descriptions.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    for (const QUrl &url : m_recent->urls()) {
        const QString shown = url.isLocalFile() ? url.toLocalFile() : url.toDisplayString();
        m_recentMenu->addAction(shown, this, [this, url] { openUrl(url); });
    }
    if (!m_recent->urls().isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear the List"), m_recent, &RecentDocuments::clear);
    }
    m_recentMenu->setEnabled(!m_recent->urls().isEmpty());
}

QString MainWindow::demoDocumentPath()
{
    const QStringList candidates = {
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/portolan/samples/demo.yaml"),
        QStringLiteral(PORTOLAN_SAMPLES_INSTALL_DIR "/demo.yaml"),
        QStringLiteral(PORTOLAN_SAMPLES_SOURCE_DIR "/demo.yaml"),
    };
    for (const QString &candidate : candidates) {
        if (QFileInfo::exists(candidate))
            return QDir::cleanPath(candidate);
    }
    return {};
}

void MainWindow::openDemo()
{
    const QString path = demoDocumentPath();
    if (path.isEmpty()) {
        QMessageBox::warning(this, tr("Demo not found"), tr("The demo description is not installed."));
        return;
    }
    openSource(path);
}

void MainWindow::openFileDialog()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open API description"), QString(),
        tr("OpenAPI and Swagger (*.yaml *.yml *.json);;All files (*)"));
    for (const QString &file : files)
        openSource(file);
}

void MainWindow::openUrlDialog()
{
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Open URL"), tr("URL of an OpenAPI or Swagger description:"),
                                               QLineEdit::Normal, QString(), &ok);
    if (ok && !text.trimmed().isEmpty())
        openSource(text.trimmed());
}

ApiWorkspace *MainWindow::openSource(const QString &source)
{
    const QUrl url = sourceUrlFromUserInput(source);
    if (!url.isValid()) {
        statusBar()->showMessage(tr("Not a file or URL: %1").arg(source), 5000);
        return nullptr;
    }
    return openUrl(url);
}

ApiWorkspace *MainWindow::openUrl(const QUrl &url)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (workspace(i)->source() == url) {
            m_tabs->setCurrentIndex(i);
            return workspace(i);
        }
    }
    auto *workspace = new ApiWorkspace(m_core, url, m_tabs);
    const int index = m_tabs->addTab(workspace, workspace->title());
    m_tabs->setTabToolTip(index, url.isLocalFile() ? url.toLocalFile() : url.toDisplayString(QUrl::RemoveUserInfo));
    connect(workspace, &ApiWorkspace::titleChanged, this, [this, workspace](const QString &title) {
        const int i = m_tabs->indexOf(workspace);
        if (i >= 0)
            m_tabs->setTabText(i, title);
        if (workspace == currentWorkspace())
            setWindowTitle(tr("%1 — Portolan").arg(title));
    });
    connect(workspace, &ApiWorkspace::loadFinished, this, [this, workspace](bool ok) {
        if (!ok)
            return;
        m_recent->add(workspace->source());
        statusBar()->showMessage(tr("Loaded %1: %n operation(s)", nullptr, int(workspace->operations().size()))
                                     .arg(workspace->title()), 5000);
    });
    m_tabs->setCurrentIndex(index);
    updateCentralPage();
    workspace->load();
    return workspace;
}

ApiWorkspace *MainWindow::currentWorkspace() const
{
    return qobject_cast<ApiWorkspace *>(m_tabs->currentWidget());
}

ApiWorkspace *MainWindow::workspace(int index) const
{
    return qobject_cast<ApiWorkspace *>(m_tabs->widget(index));
}

int MainWindow::workspaceCount() const
{
    return m_tabs->count();
}

void MainWindow::closeWorkspace(int index)
{
    ApiWorkspace *closing = workspace(index);
    if (!closing)
        return;
    m_tabs->removeTab(index);
    closing->deleteLater();  // saves its state in the destructor
    updateCentralPage();
}

void MainWindow::updateCentralPage()
{
    m_central->setCurrentWidget(m_tabs->count() > 0 ? static_cast<QWidget *>(m_tabs) : m_welcome);
}

void MainWindow::focusFilter()
{
    if (ApiWorkspace *workspace = currentWorkspace())
        workspace->navigator()->focusFilter();
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(AppSettings::load(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const AppSettings settings = dialog.settings();
    settings.save();
    const QStringList unreadable = settings.apply();
    if (!unreadable.isEmpty())
        QMessageBox::warning(this, tr("Certificates"),
                             tr("No PEM certificate could be read from:\n%1").arg(unreadable.join(QLatin1Char('\n'))));
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() || url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
            openSource(url.isLocalFile() ? url.toLocalFile() : url.toString());
    }
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    for (int i = 0; i < m_tabs->count(); ++i)
        workspace(i)->saveState();
    QSettings().setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    QMainWindow::closeEvent(event);
}

} // namespace portolan::gui
