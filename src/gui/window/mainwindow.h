#pragma once

#include <QMainWindow>
#include <QUrl>

class QMenu;
class QStackedWidget;
class QTabWidget;

namespace portolan::client {
class ClientCore;
}

namespace portolan::gui {

class ApiWorkspace;
class RecentDocuments;
class WelcomePage;

// The main window: one tab per open API, opened from a file dialog (Ctrl+O),
// a URL, drag and drop, the recent list or the command line.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `core` (not owned) serves every tab and must outlive the window.
    explicit MainWindow(client::ClientCore *core, QWidget *parent = nullptr);
    ~MainWindow() override;

    // A file path or an http(s) URL as a user types it. Switches to the tab
    // when the document is open already; returns null for unusable input.
    ApiWorkspace *openSource(const QString &source);
    ApiWorkspace *openUrl(const QUrl &url);
    ApiWorkspace *currentWorkspace() const;
    ApiWorkspace *workspace(int index) const;
    int workspaceCount() const;
    void closeWorkspace(int index);
    void focusFilter();
    void openDemo();

    QTabWidget *tabs() const { return m_tabs; }
    WelcomePage *welcomePage() const { return m_welcome; }
    RecentDocuments *recentDocuments() const { return m_recent; }

    // The bundled demo description, installed or in the source tree; empty when missing.
    static QString demoDocumentPath();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void openFileDialog();
    void openUrlDialog();
    void showSettings();
    void updateRecentMenu();
    void updateCentralPage();

    client::ClientCore *m_core;   // not owned
    RecentDocuments *m_recent;    // owned by this
    QStackedWidget *m_central;    // owned by this, like the widgets below
    WelcomePage *m_welcome;
    QTabWidget *m_tabs;
    QMenu *m_recentMenu = nullptr;
};

} // namespace portolan::gui
