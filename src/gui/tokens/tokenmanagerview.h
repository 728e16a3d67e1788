#pragma once

#include <QWidget>

class QComboBox;
class QDialog;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace portolan::client {
class ClientCore;
class TracedAuth;
}

namespace portolan::gui {

class TokenListModel;

// The token manager: every stored credential across APIs (model + view),
// and for the selected one: decode its JWT (header, payload, signature
// checked against the issuer's JWKS), refresh, revoke, introspect, copy and
// delete — each done by the auth engine. Results and errors appear in the
// details pane. Refresh, revoke, introspect and user info each run on their
// own traced engines; "Trace…" shows the credential's last traced action of
// this session (its login too), kept in memory only.
class TokenManagerView : public QWidget {
    Q_OBJECT
public:
    // `core` is not owned and must outlive the view.
    explicit TokenManagerView(client::ClientCore *core, QWidget *parent = nullptr);

    void select(const QString &credentialId);
    QString selectedId() const;

    void decode();
    void refresh();
    void revoke();
    void introspect();
    // The provider's claims about the user: those fetched at login, or fetched now.
    void showUserinfo();
    void copyToken();
    void remove();
    // Opens the trace of the selected credential's last login, refresh, … of this session; null when there is none.
    QDialog *showTrace();

    TokenListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPlainTextEdit *details() const { return m_details; }
    QLabel *statusLabel() const { return m_status; }
    QComboBox *tokenChoice() const { return m_token; }

Q_SIGNALS:
    // An action finished; `ok` false with the reason in the status line.
    void actionFinished(const QString &action, bool ok);

private:
    void finish(const QString &action, bool ok, const QString &message);
    void updateButtons();
    QString tokenSecretName() const;
    // Engines for one action whose requests are traced; keepTrace() files the trace under the credential and ends them.
    client::TracedAuth *newTracedAuth();
    void keepTrace(const QString &id, const QString &action, client::TracedAuth *traced);

    client::ClientCore *m_core;  // not owned
    TokenListModel *m_model;   // owned by this
    QTableView *m_view;        // owned by this, like the widgets below
    QComboBox *m_token;
    QPushButton *m_decode;
    QPushButton *m_refresh;
    QPushButton *m_revoke;
    QPushButton *m_introspect;
    QPushButton *m_userinfo;
    QPushButton *m_copy;
    QPushButton *m_delete;
    QPushButton *m_trace;
    QLabel *m_status;
    QPlainTextEdit *m_details;
    QString m_selectedBeforeReset;  // kept across the list's reloads
};

} // namespace portolan::gui
