#pragma once

#include <apimodel.h>

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace portolan::client {
class ClientCore;
}

namespace portolan::gui {

class SchemeSetupDialog;
class SchemeStateModel;

// The security schemes of one API with the state of their credentials and a
// button to set each up (or forget it). Model + view; the forms live in
// SchemeSetupDialog.
class SecurityPanel : public QWidget {
    Q_OBJECT
public:
    // `core` is not owned and must outlive the panel.
    explicit SecurityPanel(client::ClientCore *core, QWidget *parent = nullptr);

    void setDocument(std::shared_ptr<const ApiDocument> document);
    // Opens the setup dialog of a scheme (non-modal); null when the document has no such scheme.
    SchemeSetupDialog *setUp(const QString &schemeName);
    // Removes the scheme's stored credentials (and their keychain entries).
    void forget(const QString &schemeName);

    // The credential chosen per scheme name (credential id) where the user picked
    // one of several; other schemes use the auth engine's default, the most recent.
    QHash<QString, QString> chosenCredentials() const { return m_chosen; }
    void setChosenCredentials(const QHash<QString, QString> &chosen);

    SchemeStateModel *model() const { return m_model; }
    QComboBox *credentialChoice() const { return m_credential; }
    QTableView *view() const { return m_view; }
    QLabel *messageLabel() const { return m_message; }

Q_SIGNALS:
    void credentialsChanged();
    void chosenCredentialsChanged();

private:
    QString selectedScheme() const;
    void updateButtons();
    // Drops choices whose credential is gone and fills the choice for the selected scheme.
    void updateCredentialChoice();
    void showMessage(const QString &text, bool error);

    client::ClientCore *m_core;  // not owned
    std::shared_ptr<const ApiDocument> m_document;
    SchemeStateModel *m_model;  // owned by this
    QTableView *m_view;         // owned by this, like the widgets below
    QPushButton *m_setUp;
    QPushButton *m_forget;
    QComboBox *m_credential;  // shown when the selected scheme has several credentials
    QLabel *m_message;
    QPointer<SchemeSetupDialog> m_dialog;
    QHash<QString, QString> m_chosen;  // scheme name -> credential id
};

} // namespace portolan::gui
