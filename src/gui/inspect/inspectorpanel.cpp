#include "inspectorpanel.h"

#include "bodyview.h"
#include "contractchecker.h"
#include "exchangedetailview.h"
#include "exchangelistmodel.h"
#include "exchangetree.h"
#include "historyexchange.h"
#include "traceview.h"

#include "appsettings.h"
#include "operationpage.h"
#include "operationsender.h"
#include "passphraseprompt.h"
#include "parameterform.h"
#include "requestbodyeditor.h"
#include "serverpicker.h"
#include "themecolors.h"

#include "curlcommand.h"
#include "harexport.h"
#include "historystore.h"
#include "redaction.h"
#include "requestsigner.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace portolan::gui {

namespace {

QToolButton *toolButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setAccessibleName(text);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setAutoRaise(true);
    return button;
}

} // namespace

InspectorPanel::InspectorPanel(client::ClientCore *core, QWidget *parent)
    : QWidget(parent), m_runner(new client::OperationSender(core, this)), m_contracts(new ContractChecker(this)),
      m_history(new ExchangeListModel(this)),
      m_sendAction(new QAction(tr("Send"), this)),
      m_cancel(toolButton(tr("Cancel"), tr("Cancel the request in progress (Esc)"), this)),
      m_sendAnyway(toolButton(tr("Send Anyway"), tr("Send the values the document's schemas refuse"), this)),
      m_copyCurl(toolButton(tr("Copy as curl"), tr("Copy the selected request as a curl command"), this)),
      m_pasteCurl(toolButton(tr("Paste curl…"), tr("Send a request given as a curl command"), this)),
      m_exportHar(toolButton(tr("Export HAR…"), tr("Save the history as HAR 1.2, secrets redacted"), this)),
      m_showSecrets(new QCheckBox(tr("Show secrets"), this)), m_status(new QLabel(this)), m_list(new QTableView),
      m_details(new ExchangeDetailView)
{
    // Send is the one primary action; the operation page's request line shows it.
    m_sendAction->setToolTip(tr("Send the request (Ctrl+Enter)"));
    m_showSecrets->setToolTip(tr("Show credential values in the panes and in copied curl commands"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Send status"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 2);
    bar->addWidget(m_cancel);
    bar->addWidget(m_sendAnyway);
    m_sendAnyway->hide();
    bar->addSpacing(8);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_showSecrets);
    bar->addWidget(m_copyCurl);
    bar->addWidget(m_pasteCurl);
    bar->addWidget(m_exportHar);

    m_list->setModel(m_history);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->verticalHeader()->setDefaultSectionSize(m_list->fontMetrics().height() + 6);
    m_list->horizontalHeader()->setSectionResizeMode(ExchangeListModel::Url, QHeaderView::Stretch);
    m_list->horizontalHeader()->setSectionResizeMode(ExchangeListModel::Number, QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setSectionResizeMode(ExchangeListModel::Method, QHeaderView::ResizeToContents);
    m_list->setAlternatingRowColors(true);
    m_list->setShowGrid(false);
    m_list->setAccessibleName(tr("Exchange history"));

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_list);
    split->addWidget(m_details);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({110, 400});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_sendAction, &QAction::triggered, this, [this] { send(); });
    connect(m_cancel, &QToolButton::clicked, this, &InspectorPanel::cancel);
    connect(m_copyCurl, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(curlForSelection());
        setStatus(m_showSecrets->isChecked() ? tr("Copied as curl, with credentials.")
                                             : tr("Copied as curl; credentials replaced by references (tick “Show secrets” to include them)."),
                  false);
    });
    connect(m_pasteCurl, &QToolButton::clicked, this, &InspectorPanel::pasteCurl);
    connect(m_exportHar, &QToolButton::clicked, this, &InspectorPanel::chooseHarFile);
    connect(m_showSecrets, &QCheckBox::toggled, this, [this] { showExchange(m_shown); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showExchange(current.row()); });
    connect(m_runner, &client::OperationSender::started, this, [this](const QString &summary) {
        setStatus(tr("Sending %1 …").arg(summary), false);
        updateActions();
        Q_EMIT sendStarted();
    });
    connect(m_runner, &client::OperationSender::notice, this, [this](const QString &message) { setStatus(message, true); });
    connect(m_runner, &client::OperationSender::refused, this, [this](const QStringList &messages) {
        setStatus(tr("Not sent: %1").arg(messages.join(QLatin1Char('\n'))), true);
        m_sendAnyway->setVisible(m_validatedLastSend);
        updateActions();
    });
    connect(m_sendAnyway, &QToolButton::clicked, this, [this] { send(false); });
    connect(m_runner, &client::OperationSender::finished, this, &InspectorPanel::onFinished);
    connect(m_contracts, &ContractChecker::checked, this, &InspectorPanel::onContractChecked);
    updateActions();
    setStatus(tr("Fill in the parameters and press Send (Ctrl+Enter)."), false);
}

InspectorPanel::~InspectorPanel() = default;

ExchangeTreeModel *InspectorPanel::detail() const
{
    return m_details->model();
}

BodyView *InspectorPanel::bodyView() const
{
    return m_details->body();
}

QTreeView *InspectorPanel::detailView() const
{
    return m_details->tree();
}

void InspectorPanel::setSource(std::shared_ptr<const ApiDocument> document, OperationPage *page)
{
    m_document = std::move(document);
    m_page = page;
    m_contracts->setDocument(m_document);
    if (m_page)
        m_page->setSendAction(m_sendAction);
    const QString apiId = m_document ? auth::apiIdentity(*m_document) : QString();
    if (apiId != m_apiId) {
        m_apiId = apiId;
        loadHistory();
    }
    updateActions();
}

void InspectorPanel::loadHistory()
{
    if (m_apiId.isEmpty())
        return;
    // Up to a few hundred small files: read them on a worker thread.
    const QString apiId = m_apiId;
    QtConcurrent::run([apiId] {
        QString error;
        QList<http::Exchange> exchanges;
        const QList<http::HistoryEntry> entries = http::HistoryStore().entries(apiId, &error);
        for (auto it = entries.crbegin(); it != entries.crend(); ++it)  // oldest first, like the list
            exchanges.append(exchangeFromHistory(*it));
        return std::make_pair(exchanges, error);
    }).then(this, [this, apiId](const std::pair<QList<http::Exchange>, QString> &loaded) {
        if (apiId != m_apiId)
            return;
        // Exchanges finished meanwhile are already listed (and may have been read back too).
        QSet<QString> listed;
        for (const http::Exchange &exchange : m_history->exchanges())
            listed.insert(exchange.id);
        QList<http::Exchange> earlier;
        for (const http::Exchange &exchange : loaded.first) {
            if (!listed.contains(exchange.id))
                earlier.append(exchange);
        }
        m_history->prepend(earlier);
        if (m_shown >= 0)
            selectExchange(m_shown + int(earlier.size()));
        if (!loaded.second.isEmpty())
            setStatus(tr("Some history could not be read: %1").arg(loaded.second), true);
        updateActions();
    });
}

void InspectorPanel::saveToHistory(const http::Exchange &exchange)
{
    if (m_apiId.isEmpty())
        return;
    // The store writes (and prunes) files synchronously: keep that off the UI thread.
    const QString apiId = m_apiId;
    QtConcurrent::run([apiId, exchange] {
        QString error;
        return http::HistoryStore().append(apiId, exchange, &error) ? QString() : error;
    }).then(this, [this](const QString &error) {
        if (!error.isEmpty())
            setStatus(tr("The exchange was not added to the history: %1").arg(error), true);
    });
}

void InspectorPanel::installShortcuts(QWidget *scope)
{
    m_sendAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_sendAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    scope->addAction(m_sendAction);
    m_cancelShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), scope);
    m_cancelShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    m_cancelShortcut->setEnabled(false);  // only while sending, so Esc keeps its other uses
    connect(m_cancelShortcut, &QShortcut::activated, this, &InspectorPanel::cancel);
}

bool InspectorPanel::isSending() const
{
    return m_runner->isRunning();
}

void InspectorPanel::updateActions()
{
    const bool sending = m_runner->isRunning();
    // The page's request line shows Send only with an operation; send() checks again.
    m_sendAction->setEnabled(!sending && m_document && m_page);
    m_cancel->setEnabled(sending);
    if (m_cancelShortcut)
        m_cancelShortcut->setEnabled(sending);
    m_copyCurl->setEnabled(m_shown >= 0);
    m_exportHar->setEnabled(m_history->rowCount() > 0);
}

void InspectorPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette palette = this->palette();
    if (error)
        palette.setColor(QPalette::WindowText, toneText(Tone::Error, palette));
    m_status->setPalette(palette);
}

bool InspectorPanel::sendSettings(http::SendOptions *options, std::function<void()> retry)
{
    // Read at every send, so that a change in Settings applies to the next request.
    const AppSettings settings = AppSettings::load();
    options->decodeLimits.maxDecodedBytes = qint64(settings.maxDecodedBodyMB) * 1024 * 1024;
    const auth::PemIdentity identity = loadClientIdentity(settings, m_keyPassphrase);
    if (identity.status == auth::PemIdentity::Status::NeedsPassphrase) {
        // Kept in memory for this session only.
        askPassphrase(this, tr("Client certificate"), identity.error, [this, retry](const QByteArray &passphrase) {
            m_keyPassphrase = passphrase;
            retry();
        });
        return false;
    }
    if (!identity.ok()) {
        m_keyPassphrase.clear();
        setStatus(tr("Not sent: %1 Fix it in Settings or remove the client certificate there.").arg(identity.error), true);
        return false;
    }
    options->tls.clientIdentity = client::tlsClientIdentity(identity);
    return true;
}

void InspectorPanel::send(bool validate)
{
    if (!m_document || !m_page || !m_page->operation() || m_runner->isRunning())
        return;
    client::OperationRequest request;
    if (!sendSettings(&request.options, [this, validate] { send(validate); }))
        return;
    request.validate = validate;
    m_validatedLastSend = validate;
    m_sendAnyway->hide();
    request.document = m_document;
    request.operation = m_page->operation();
    request.input = m_page->requestInput();
    request.credentials.saved = m_chosenCredentials;
    if (request.input.environment)
        setStatus(tr("Reading the variables of “%1” …").arg(request.input.environment->name), false);
    m_runner->send(request);
    updateActions();
}

void InspectorPanel::cancel()
{
    m_runner->cancel();
}

bool InspectorPanel::sendCurl(const QString &commandLine)
{
    const http::CurlImport imported = http::importCurl(commandLine);
    if (!imported.ok()) {
        setStatus(tr("Cannot read the curl command: %1").arg(imported.error), true);
        return false;
    }
    http::SendOptions options;
    if (!sendSettings(&options, [this, commandLine] { sendCurl(commandLine); }))
        return false;
    if (!m_runner->sendRequest(imported.request, m_apiId, tr("pasted curl"), options)) {
        setStatus(tr("A request is being sent; cancel it first (Esc)."), true);
        return false;
    }
    if (!imported.warnings.isEmpty())
        setStatus(tr("Sending; not applied: %1").arg(imported.warnings.join(QStringLiteral("; "))), false);
    updateActions();
    return true;
}

void InspectorPanel::pasteCurl()
{
    bool ok = false;
    const QString command = QInputDialog::getMultiLineText(this, tr("Paste a curl command"),
                                                           tr("The request is sent as written, without stored credentials:"),
                                                           QApplication::clipboard()->text(), &ok);
    if (ok && !command.trimmed().isEmpty())
        sendCurl(command);
}

void InspectorPanel::onFinished(const http::Exchange &exchange)
{
    m_contracts->check(exchange);
    m_history->append(exchange);
    saveToHistory(exchange);
    const int row = m_history->rowCount() - 1;
    selectExchange(row);
    if (exchange.hasResponse()) {
        const http::ReceivedResponse &response = exchange.finalHop().response;
        setStatus(tr("%1 %2 · %3 · %4 · credentials: %5")
                      .arg(response.status)
                      .arg(QString::fromLatin1(response.reason), formatMicros(exchange.totalUs()),
                           formatBytes(response.body.decodedSize), client::alternativeText(m_runner->lastChoice().alternative)),
                  response.status >= 400);
    } else {
        setStatus(QStringLiteral("%1: %2").arg(http::transportErrorName(exchange.error), exchange.errorMessage), true);
    }
    updateActions();
    Q_EMIT exchangeFinished(exchange);
}

void InspectorPanel::selectExchange(int row)
{
    m_list->setCurrentIndex(m_history->index(row, ExchangeListModel::Url));
    m_list->scrollTo(m_list->currentIndex());
    showExchange(row);
}

http::Exchange InspectorPanel::displayed(const http::Exchange &exchange) const
{
    return m_showSecrets->isChecked() ? exchange : http::redacted(exchange);
}

void InspectorPanel::showExchange(int row)
{
    if (row < 0 || row >= m_history->rowCount()) {
        m_shown = -1;
        m_details->clear();
        updateActions();
        return;
    }
    m_shown = row;
    const http::Exchange exchange = displayed(m_history->exchange(row));
    m_details->showExchange(exchange);
    if (exchange.hasResponse())
        showContract(exchange.id);
    updateActions();
}

void InspectorPanel::showContract(const QString &exchangeId)
{
    const http::Exchange &exchange = m_history->exchange(m_shown);
    if (!m_document || !m_document->findOperation(exchange.operationId)) {
        detail()->clearContract();
        return;
    }
    m_contracts->check(exchange);  // exchanges from the history are checked when first shown
    const http::ContractReport *report = m_contracts->report(exchangeId);
    detail()->setContract(report);
    if (QStandardItem *section = detail()->section(ExchangeTreeModel::tr("Contract")))
        detailView()->expand(section->index());
    if (!report)
        return;
    QStringList pointers;
    for (const http::ContractProblem &p : report->problems) {
        const bool inBody = p.kind == http::ContractProblem::Kind::BodySchema;
        pointers.push_back(inBody ? p.pointer : QString());
    }
    bodyView()->markProblems(pointers);
}

void InspectorPanel::onContractChecked(const QString &exchangeId, const http::ContractReport &report)
{
    QStringList problems;
    for (const http::ContractProblem &p : report.problems)
        problems.push_back(p.message);
    m_history->setContractProblems(exchangeId, problems);
    if (m_shown >= 0 && m_history->exchange(m_shown).id == exchangeId)
        showContract(exchangeId);
}

QString InspectorPanel::curlForSelection() const
{
    if (m_shown < 0)
        return {};
    const http::Exchange exchange = displayed(m_history->exchange(m_shown));
    if (exchange.hops.isEmpty())
        return http::toCurl(exchange.original);
    return http::toCurl(exchange.hops.first().request);
}

bool InspectorPanel::exportHar(const QString &path, QString *error) const
{
    return http::writeHarFile(path, m_history->exchanges(), error);
}

void InspectorPanel::chooseHarFile()
{
    bool saved = false;
    const QString outcome = saveHarAs(this, QStringLiteral("portolan.har"), m_history->exchanges(), &saved);
    if (!outcome.isEmpty())
        setStatus(outcome, !saved);
}

} // namespace portolan::gui
