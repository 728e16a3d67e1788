#pragma once

#include "apistate.h"
#include "diagnostic.h"

#include <schemeoverrides.h>

#include <QUrl>
#include <QWidget>

#include <memory>

class QLabel;
class QShortcut;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QScrollArea;

namespace portolan {
class ApiDocument;
class DocumentLoader;
class ReferenceResolver;
struct LoadResult;
struct Operation;
}

namespace portolan::client {
class ClientCore;
}

namespace portolan::gui {

class ApiOverview;
class ApiStateStore;
class DiagnosticsPanel;
class DocumentCheck;
class InspectorPanel;
class LoadProgressBar;
class NavigatorPanel;
class OperationPage;
class SecurityPanel;
class SourceViewer;

// One open API: loads its document without blocking (progress, Cancel, Esc),
// then shows the navigator, the overview or the selected operation, and the
// diagnostics with the source they point at. The check against the OpenAPI
// schema runs after the navigator shows, in the background (Stop in the
// diagnostics pane); its diagnostics join the loader's when it is done. Remembers what the user typed
// per operation and restores it when the API is opened again.
class ApiWorkspace : public QWidget {
    Q_OBJECT
public:
    // `core` is not owned and must outlive the workspace.
    ApiWorkspace(client::ClientCore *core, const QUrl &source, QWidget *parent = nullptr);
    ~ApiWorkspace() override;

    void load();
    void cancelLoading();
    bool isLoading() const;
    QUrl source() const { return m_source; }
    QString title() const;
    std::shared_ptr<const ApiDocument> document() const { return m_document; }
    const QVector<const Operation *> &operations() const { return m_operations; }

    // Shows the operation (index into operations()) and selects it in the navigator.
    void showOperation(int operation);
    int currentOperation() const { return m_current; }
    void showOverview();
    void jumpTo(const Diagnostic &diagnostic);
    // Opens the diagnostics and source pane, or folds it away when open.
    void toggleBottomPane();
    // Writes pending state now.
    void saveState();

    NavigatorPanel *navigator() const { return m_navigator; }
    OperationPage *operationPage() const { return m_page; }
    InspectorPanel *inspector() const { return m_inspector; }
    SecurityPanel *securityPanel() const { return m_security; }
    DiagnosticsPanel *diagnosticsPanel() const { return m_diagnostics; }
    DocumentCheck *documentCheck() const { return m_check; }
    SourceViewer *sourceViewer() const { return m_sourceViewer; }
    LoadProgressBar *progressBar() const { return m_progress; }
    QLabel *messageBanner() const { return m_banner; }
    ApiStateStore *stateStore() const { return m_store; }

Q_SIGNALS:
    void titleChanged(const QString &title);
    void loadingChanged(bool loading);
    // ok: a document was loaded (perhaps with diagnostics).
    void loadFinished(bool ok);

private:
    void onLoadFinished(const LoadResult &result);
    void showBanner(const QString &html, bool error);
    void showDiagnostics(const Diagnostics &diagnostics);
    void startCheck();
    void stopCheck();
    void onCheckFinished(const Diagnostics &diagnostics);
    void updateDiagnosticsTitle();
    void rememberCurrentInput();
    void rememberServer();
    void persist();
    int operationAtPointer(const QString &file, const QString &pointer) const;

    QUrl m_source;
    DocumentLoader *m_loader;               // owned by this
    DocumentCheck *m_check;                 // owned by this
    std::shared_ptr<const ApiDocument> m_document;
    Diagnostics m_loadErrors;               // the loader's, beside the document's own
    std::unique_ptr<ReferenceResolver> m_resolver;  // points into m_document; declared after it
    QVector<const Operation *> m_operations;        // point into m_document
    ApiStateStore *m_store;                 // owned by this
    ApiState m_state;
    SchemeOverrides m_overrides;  // the user's schemes the running or last load applied
    int m_current = -1;
    bool m_restoring = false;
    bool m_keepPanes = false;  // a reload for the user's schemes: the bottom pane stays as the user left it

    LoadProgressBar *m_progress;            // owned by this, like every widget below
    QLabel *m_banner;
    QSplitter *m_split;
    QSplitter *m_rightSplit;
    NavigatorPanel *m_navigator;
    QStackedWidget *m_content;
    ApiOverview *m_overview;
    QScrollArea *m_pageScroll;
    OperationPage *m_page;
    QTabWidget *m_bottomTabs;
    DiagnosticsPanel *m_diagnostics;
    SourceViewer *m_sourceViewer;
    InspectorPanel *m_inspector = nullptr;
    SecurityPanel *m_security = nullptr;
    QShortcut *m_escape;
};

} // namespace portolan::gui
