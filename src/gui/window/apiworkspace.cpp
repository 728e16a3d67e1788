#include "apiworkspace.h"
#include "themecolors.h"

#include "apimodel.h"
#include "apioverview.h"
#include "apistatestore.h"
#include "diagnosticsmodel.h"
#include "diagnosticspanel.h"
#include "documentcheck.h"
#include "documentloader.h"
#include "environment.h"
#include "jsonpointer.h"
#include "loadprogressbar.h"
#include "navigatorpanel.h"
#include "operationpage.h"
#include "inspectorpanel.h"
#include "clientcore.h"
#include "securitypanel.h"
#include "referenceresolver.h"
#include "serverpicker.h"
#include "sourceviewer.h"

#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QScrollArea>
#include <QScopeGuard>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

namespace portolan::gui {

namespace {
// Sources of failed loads are read from disk to show the error's line; beyond
// this size the jump shows nothing rather than stalling the window.
constexpr qint64 kMaxSourceReadBytes = 16 * 1024 * 1024;
} // namespace

ApiWorkspace::ApiWorkspace(client::ClientCore *core, const QUrl &source, QWidget *parent)
    : QWidget(parent), m_source(source), m_loader(new DocumentLoader(nullptr, this)), m_check(new DocumentCheck(this)),
      m_store(new ApiStateStore(source, this)), m_progress(new LoadProgressBar(this)), m_banner(new QLabel(this)),
      m_split(new QSplitter(Qt::Horizontal, this)), m_rightSplit(new QSplitter(Qt::Vertical, m_split)),
      m_navigator(new NavigatorPanel(m_split)), m_content(new QStackedWidget(m_rightSplit)),
      m_overview(new ApiOverview(m_content)), m_pageScroll(new QScrollArea(m_content)), m_page(new OperationPage(core)),
      m_bottomTabs(new QTabWidget(m_rightSplit)), m_diagnostics(new DiagnosticsPanel(m_bottomTabs)),
      m_sourceViewer(new SourceViewer(m_bottomTabs)), m_escape(new QShortcut(QKeySequence(Qt::Key_Escape), this))
{
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setContentsMargins(12, 8, 12, 8);
    m_banner->setAutoFillBackground(true);
    m_banner->setAccessibleName(tr("Message"));
    m_banner->hide();
    m_progress->hide();

    m_pageScroll->setWidget(m_page);
    m_pageScroll->setWidgetResizable(true);
    m_pageScroll->setFrameShape(QFrame::NoFrame);
    m_pageScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_content->addWidget(m_overview);
    m_content->addWidget(m_pageScroll);

    m_bottomTabs->setDocumentMode(true);
    m_bottomTabs->addTab(m_diagnostics, tr("Diagnostics"));
    m_bottomTabs->addTab(m_sourceViewer, tr("Source"));
    m_bottomTabs->setAccessibleName(tr("Diagnostics and source"));
    // Sending and inspecting, and the API's security schemes with their credentials.
    m_inspector = new InspectorPanel(core, m_bottomTabs);
    m_security = new SecurityPanel(core, m_bottomTabs);
    m_bottomTabs->addTab(m_inspector, tr("Response"));
    m_bottomTabs->addTab(m_security, tr("Security"));
    m_inspector->installShortcuts(this);
    connect(m_security, &SecurityPanel::chosenCredentialsChanged, this, [this] {
        m_state.chosenCredentials = m_security->chosenCredentials();
        m_inspector->setChosenCredentials(m_state.chosenCredentials);
        m_page->setChosenCredentials(m_state.chosenCredentials);
        persist();
    });
    // The user's schemes changed (saved by the panel): load again with them; the open operation and its input are restored.
    connect(m_security, &SecurityPanel::overridesChanged, this, [this] {
        m_keepPanes = true;
        load();
    });

    m_split->insertWidget(0, m_navigator);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    m_split->setSizes({380, 1000});
    m_split->setChildrenCollapsible(false);
    m_rightSplit->setStretchFactor(0, 1);
    m_rightSplit->setStretchFactor(1, 0);
    m_rightSplit->setSizes({760, 0});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_progress);
    layout->addWidget(m_banner);
    layout->addWidget(m_split, 1);

    m_escape->setContext(Qt::WidgetWithChildrenShortcut);
    m_escape->setEnabled(false);
    connect(m_escape, &QShortcut::activated, this, &ApiWorkspace::cancelLoading);
    connect(m_progress, &LoadProgressBar::cancelRequested, this, &ApiWorkspace::cancelLoading);
    connect(m_loader, &DocumentLoader::progress, m_progress, &LoadProgressBar::setProgress);
    connect(m_loader, &DocumentLoader::finished, this, &ApiWorkspace::onLoadFinished);
    connect(m_navigator, &NavigatorPanel::operationSelected, this, &ApiWorkspace::showOperation);
    connect(m_diagnostics, &DiagnosticsPanel::diagnosticActivated, this, &ApiWorkspace::jumpTo);
    connect(m_diagnostics, &DiagnosticsPanel::stopCheckRequested, this, &ApiWorkspace::stopCheck);
    connect(m_diagnostics, &DiagnosticsPanel::checkRequested, this, &ApiWorkspace::startCheck);
    connect(m_check, &DocumentCheck::finished, this, &ApiWorkspace::onCheckFinished);
    connect(m_page, &OperationPage::inputEdited, this, [this] {
        if (!m_restoring) {
            rememberCurrentInput();
            persist();
        }
    });
    connect(m_page, &OperationPage::serverChanged, this, [this] {
        if (!m_restoring) {
            rememberServer();
            persist();
        }
    });
    connect(m_page, &OperationPage::environmentChanged, this, [this] {
        if (!m_restoring) {
            const http::Environment *environment = m_page->environment();
            m_state.environment = environment ? environment->name : QString();
            persist();
        }
    });
    connect(m_banner, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("retry"))
            load();
    });
    // Sending shows the response; a scheme link opens its setup. Both need the bottom pane open.
    const auto reveal = [this](QWidget *pane) {
        m_bottomTabs->setCurrentWidget(pane);
        const QList<int> sizes = m_rightSplit->sizes();
        const int total = sizes.value(0) + sizes.value(1);
        if (sizes.value(1) < 300)
            m_rightSplit->setSizes({total - total * 11 / 20, total * 11 / 20});
    };
    connect(m_inspector, &InspectorPanel::sendStarted, this, [this, reveal] { reveal(m_inspector); });
    connect(m_page, &OperationPage::securitySchemeActivated, this, [this, reveal](const QString &scheme) {
        reveal(m_security);
        m_security->setUp(scheme);
    });
}

ApiWorkspace::~ApiWorkspace()
{
    saveState();
}

QString ApiWorkspace::title() const
{
    if (m_document && !m_document->info.title.isEmpty())
        return m_document->info.title;
    const QString name = m_source.isLocalFile() ? QFileInfo(m_source.toLocalFile()).fileName() : m_source.fileName();
    return name.isEmpty() ? m_source.host() : name;
}

bool ApiWorkspace::isLoading() const
{
    return m_loader->isRunning();
}

void ApiWorkspace::load()
{
    if (m_check->isRunning())  // the document it checks is about to be replaced
        stopCheck();
    m_banner->hide();
    m_progress->start(m_source.isLocalFile() ? QFileInfo(m_source.toLocalFile()).fileName()
                                             : m_source.toDisplayString(QUrl::RemoveUserInfo));
    m_progress->show();
    m_escape->setEnabled(true);
    if (!m_document) {
        m_overview->document()->setMarkdown(tr("*Loading %1 …*").arg(title()));
        m_content->setCurrentWidget(m_overview);
    }
    Q_EMIT loadingChanged(true);
    // The user's own schemes and requirements for this API (the file `portolan-cli scheme` writes).
    LoadOptions options;
    QString overridesError;
    if (!SchemeOverrides::load(m_source, &options.schemeOverrides, &overridesError))
        showBanner(tr("Your security schemes for this API are not applied: %1").arg(overridesError.toHtmlEscaped()), true);
    m_overrides = options.schemeOverrides;
    // The schema check runs once the navigator shows (startCheck).
    options.validate = false;
    m_loader->load(m_source, options);
}

void ApiWorkspace::cancelLoading()
{
    if (isLoading())
        m_loader->cancel();
}

void ApiWorkspace::showBanner(const QString &html, bool error)
{
    QPalette palette = m_banner->palette();
    const Tone tone = error ? Tone::Error : Tone::Warning;
    palette.setColor(QPalette::Window, toneBackground(tone, this->palette()));
    palette.setColor(QPalette::WindowText, toneBackgroundText(tone, this->palette()));
    palette.setColor(QPalette::Link, toneBackgroundText(tone, this->palette()));
    m_banner->setPalette(palette);
    m_banner->setText(html);
    m_banner->show();
}

void ApiWorkspace::onLoadFinished(const LoadResult &result)
{
    const auto panesFollowNextLoad = qScopeGuard([this] { m_keepPanes = false; });
    m_progress->hide();
    m_escape->setEnabled(false);
    Q_EMIT loadingChanged(false);
    const QString retry = QStringLiteral(" <a href=\"retry\">%1</a>").arg(tr("Retry"));
    if (result.cancelled) {
        showBanner(tr("Loading was cancelled.") + retry, false);
        Q_EMIT loadFinished(false);
        return;
    }
    if (!result.document) {
        m_diagnostics->setCheckState(DiagnosticsPanel::CheckState::Checked);  // nothing to check
        showDiagnostics(result.errors);
        const QString first = result.errors.isEmpty() ? tr("unknown error") : formatDiagnostic(result.errors.first());
        showBanner(tr("<b>Could not load this document.</b> %1").arg(first.toHtmlEscaped()) + retry, true);
        QString markdown = tr("# Could not load %1\n\n").arg(title());
        for (const Diagnostic &error : result.errors)
            markdown += QStringLiteral("* `%1` — %2\n").arg(DiagnosticsModel::locationText(error.location), error.message);
        m_overview->document()->setMarkdown(markdown);
        m_content->setCurrentWidget(m_overview);
        if (!result.errors.isEmpty())
            jumpTo(result.errors.first());
        Q_EMIT loadFinished(false);
        return;
    }

    // The page and the navigator point into the old document: let go of it first.
    saveState();
    m_page->clear();
    m_navigator->setOperations({}, {});
    m_resolver.reset();
    m_document = result.document;
    m_resolver = std::make_unique<ReferenceResolver>(m_document->documents);
    m_inspector->setSource(m_document, m_page);
    m_security->setDocument(m_document, m_source, m_overrides);
    m_operations.clear();
    for (const Operation &operation : m_document->operations)
        m_operations.append(&operation);
    for (const Operation &operation : m_document->webhooks)
        m_operations.append(&operation);

    m_loadErrors = result.errors;
    m_diagnostics->setCheckState(DiagnosticsPanel::CheckState::Checking);
    showDiagnostics(m_loadErrors + m_document->diagnostics);

    m_state = m_store->load();
    m_security->setChosenCredentials(m_state.chosenCredentials);
    m_inspector->setChosenCredentials(m_security->chosenCredentials());
    m_page->setChosenCredentials(m_security->chosenCredentials());
    // A small JSON file (secret values are not in it), read like the state file.
    QString environmentError;
    const QList<http::Environment> environments = http::EnvironmentStore().load(&environmentError);
    m_restoring = true;
    m_page->setEnvironments(environments);
    m_page->selectEnvironment(m_state.environment);
    m_restoring = false;
    if (!environmentError.isEmpty())
        showBanner(tr("Environments are not offered: %1").arg(environmentError.toHtmlEscaped()), true);
    m_navigator->setGroupedByPath(m_state.groupedByPath);
    m_navigator->setOperations(m_operations, m_document->tags);
    m_overview->showDocument(*m_document);
    m_current = -1;
    int restored = -1;
    for (int i = 0; i < m_operations.size() && !m_state.selectedOperation.isEmpty(); ++i) {
        if (operationKey(*m_operations[i]) == m_state.selectedOperation) {
            restored = i;
            break;
        }
    }
    if (restored >= 0)
        showOperation(restored);
    else
        showOverview();
    Q_EMIT titleChanged(title());
    Q_EMIT loadFinished(true);
    startCheck();
}

void ApiWorkspace::startCheck()
{
    if (!m_document)
        return;
    m_diagnostics->setCheckState(DiagnosticsPanel::CheckState::Checking);
    updateDiagnosticsTitle();
    m_check->start(m_document);
}

void ApiWorkspace::stopCheck()
{
    m_check->cancel();
    m_diagnostics->setCheckState(DiagnosticsPanel::CheckState::Stopped);
    updateDiagnosticsTitle();
}

void ApiWorkspace::onCheckFinished(const Diagnostics &diagnostics)
{
    m_diagnostics->setCheckState(DiagnosticsPanel::CheckState::Checked);
    m_diagnostics->setDiagnostics(m_loadErrors + diagnostics);
    updateDiagnosticsTitle();
    // The user may be reading the pane by now: open it for new problems, never fold it away.
    const QList<int> sizes = m_rightSplit->sizes();
    if (!diagnostics.isEmpty() && sizes.value(1) == 0) {
        const int total = sizes.value(0);
        const int pane = qMin(220, total / 3);
        m_rightSplit->setSizes({total - pane, pane});
    }
}

void ApiWorkspace::updateDiagnosticsTitle()
{
    m_bottomTabs->setTabText(0, tr("Diagnostics (%1)").arg(m_diagnostics->summary()));
}

void ApiWorkspace::showDiagnostics(const Diagnostics &diagnostics)
{
    m_diagnostics->setDiagnostics(diagnostics);
    updateDiagnosticsTitle();
    if (m_keepPanes)
        return;
    // The pane opens when there is something to read and stays out of the way otherwise.
    const int total = m_rightSplit->sizes().value(0) + m_rightSplit->sizes().value(1);
    const int pane = diagnostics.isEmpty() ? 0 : qMin(220, total / 3);
    m_rightSplit->setSizes({total - pane, pane});
}

void ApiWorkspace::toggleBottomPane()
{
    const QList<int> sizes = m_rightSplit->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    const int pane = sizes.value(1) > 0 ? 0 : total / 3;
    m_rightSplit->setSizes({total - pane, pane});
}

void ApiWorkspace::showOverview()
{
    m_current = -1;
    m_security->setCurrentOperation(nullptr);
    m_content->setCurrentWidget(m_overview);
}

void ApiWorkspace::showOperation(int operation)
{
    if (!m_document || operation < 0 || operation >= m_operations.size())
        return;
    if (m_current >= 0)
        rememberCurrentInput();
    m_current = operation;
    const Operation &op = *m_operations[operation];
    m_security->setCurrentOperation(&op);
    m_restoring = true;
    m_page->showOperation(*m_document, *m_resolver, op, m_state.operations.value(operationKey(op)));
    m_page->serverPicker()->setVariableValues(m_state.serverVariables);
    m_page->serverPicker()->selectServer(m_state.server);
    m_restoring = false;
    m_content->setCurrentWidget(m_pageScroll);
    m_pageScroll->verticalScrollBar()->setValue(0);
    m_navigator->selectOperation(operation);
    if (m_state.selectedOperation != operationKey(op)) {
        m_state.selectedOperation = operationKey(op);
        persist();
    }
}

void ApiWorkspace::rememberCurrentInput()
{
    if (m_current < 0 || m_current >= m_operations.size())
        return;
    const QString key = operationKey(*m_operations[m_current]);
    const OperationInput input = m_page->input();
    if (input.isEmpty())
        m_state.operations.remove(key);
    else
        m_state.operations.insert(key, input);
}

void ApiWorkspace::rememberServer()
{
    const ServerPicker *picker = m_page->serverPicker();
    m_state.server = picker->currentTemplate();
    const QHash<QString, QString> values = picker->variableValues();
    for (auto it = values.begin(); it != values.end(); ++it)
        m_state.serverVariables.insert(it.key(), it.value());
}

void ApiWorkspace::persist()
{
    if (!m_document)
        return;
    m_state.groupedByPath = m_navigator->isGroupedByPath();
    m_store->scheduleSave(m_state);
}

void ApiWorkspace::saveState()
{
    if (!m_document)
        return;
    rememberCurrentInput();
    persist();
    m_store->flush();
}

int ApiWorkspace::operationAtPointer(const QString &file, const QString &pointer) const
{
    const SourceDocument *root = m_document ? m_document->rootDocument() : nullptr;
    if (!root || pointer.isEmpty() || (!file.isEmpty() && file != root->displayName()))
        return -1;
    const QByteArray utf8 = pointer.toUtf8();
    const NodeRef value{root, jsonpointer::resolveDeepest(root->tree(), std::string_view(utf8.constData(), std::size_t(utf8.size())))};
    for (int i = 0; i < m_operations.size(); ++i) {
        if (operationHolds(*m_operations[i], value))
            return i;
    }
    return -1;
}

void ApiWorkspace::jumpTo(const Diagnostic &diagnostic)
{
    const SourceLocation &location = diagnostic.location;
    QByteArray source;
    bool found = false;
    if (m_document) {
        for (const auto &document : m_document->documents) {
            if (document->displayName() == location.file) {
                source = document->tree().source();
                found = true;
                break;
            }
        }
    }
    if (!found && QFileInfo(location.file).isFile() && QFileInfo(location.file).size() <= kMaxSourceReadBytes) {
        QFile file(location.file);
        if (file.open(QIODevice::ReadOnly)) {
            source = file.readAll();
            found = true;
        }
    }
    if (found && location.line > 0) {
        m_sourceViewer->showLocation(location.file, source, location.line, location.column);
        m_bottomTabs->setCurrentWidget(m_sourceViewer);
        if (m_rightSplit->sizes().value(1) == 0) {
            const int total = m_rightSplit->sizes().value(0);
            m_rightSplit->setSizes({total - total / 3, total / 3});
        }
    }
    const int operation = operationAtPointer(location.file, location.pointer);
    if (operation >= 0)
        showOperation(operation);
}

} // namespace portolan::gui
