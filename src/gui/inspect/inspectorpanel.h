#pragma once

#include "exchange.h"
#include "responsecontract.h"
#include "exchangesender.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>

class QAction;
class QCheckBox;
class QLabel;
class QShortcut;
class QSplitter;
class QTableView;
class QToolButton;
class QTreeView;

namespace portolan {
class ApiDocument;
}

namespace portolan::client {
class ClientCore;
class OperationSender;
}

namespace portolan::gui {

class BodyView;
class ContractChecker;
class ExchangeDetailView;
class ExchangeListModel;
class ExchangeTreeModel;
class OperationPage;

// Sending and inspecting, in the spirit of Wireshark: the exchange list
// (history) above, the selected exchange's detail tree and its body views
// below. Send with Ctrl+Enter, cancel with Esc; copy as curl, paste a curl
// command, export HAR. Secrets are masked in every view unless "Show
// secrets" is on.
class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    // `core` is not owned and must outlive the panel.
    explicit InspectorPanel(client::ClientCore *core, QWidget *parent = nullptr);
    ~InspectorPanel() override;

    // What Send sends: the operation shown on `page` (not owned) with its values;
    // the page's request line shows the Send action.
    // The API's earlier exchanges are listed again once read from its history.
    void setSource(std::shared_ptr<const ApiDocument> document, OperationPage *page);
    // Send (Ctrl+Enter) and Esc work anywhere inside `scope` (e.g. the whole API tab).
    void installShortcuts(QWidget *scope);

    // `validate` false sends values the document's schemas refuse ("Send Anyway").
    void send(bool validate = true);
    void cancel();
    bool isSending() const;
    // Imports a curl command line and sends it; false with the reason shown when it cannot be read.
    bool sendCurl(const QString &commandLine);
    QString curlForSelection() const;
    bool exportHar(const QString &path, QString *error) const;
    void selectExchange(int row);

    ExchangeListModel *history() const { return m_history; }
    ExchangeTreeModel *detail() const;
    BodyView *bodyView() const;
    QTreeView *detailView() const;
    QTableView *historyView() const { return m_list; }
    // The one Send action: the request line's button and Ctrl+Enter trigger it.
    QAction *sendAction() const { return m_sendAction; }
    QLabel *statusLabel() const { return m_status; }
    QCheckBox *showSecretsBox() const { return m_showSecrets; }
    QToolButton *sendAnywayButton() const { return m_sendAnyway; }
    client::OperationSender *runner() const { return m_runner; }
    ContractChecker *contracts() const { return m_contracts; }
    // The credential the user chose per scheme (scheme -> credential id); the client core's rule applies otherwise.
    void setChosenCredentials(const QHash<QString, QString> &chosen) { m_chosenCredentials = chosen; }

Q_SIGNALS:
    void sendStarted();
    void exchangeFinished(const portolan::http::Exchange &exchange);

private:
    void showExchange(int row);
    void showContract(const QString &exchangeId);
    void onContractChecked(const QString &exchangeId, const http::ContractReport &report);
    void onFinished(const http::Exchange &exchange);
    void loadHistory();
    void saveToHistory(const http::Exchange &exchange);
    void setStatus(const QString &text, bool error);
    void updateActions();
    http::Exchange displayed(const http::Exchange &exchange) const;
    void pasteCurl();
    void chooseHarFile();
    // The client certificate and the decoded-body limit from Settings into `options`. False when not sending now: the
    // reason is shown, or the key's passphrase is being asked for and `retry` runs once it is given.
    bool sendSettings(http::SendOptions *options, std::function<void()> retry);

    std::shared_ptr<const ApiDocument> m_document;
    QString m_apiId;                       // the history's key for m_document
    QPointer<OperationPage> m_page;        // not owned
    client::OperationSender *m_runner;     // owned by this
    ContractChecker *m_contracts;          // owned by this
    QHash<QString, QString> m_chosenCredentials;
    QByteArray m_keyPassphrase;  // the Settings client key's passphrase, in memory only
    bool m_validatedLastSend = true;  // the last send checked the values against the schemas
    ExchangeListModel *m_history;          // owned by this
    QAction *m_sendAction;                 // owned by this, like the widgets below
    QToolButton *m_cancel;
    QToolButton *m_sendAnyway;  // shown after a send the schemas refused
    QToolButton *m_copyCurl;
    QToolButton *m_pasteCurl;
    QToolButton *m_exportHar;
    QCheckBox *m_showSecrets;
    QLabel *m_status;
    QTableView *m_list;
    ExchangeDetailView *m_details;
    QShortcut *m_cancelShortcut = nullptr;  // owned by the scope widget
    int m_shown = -1;
};

} // namespace portolan::gui
