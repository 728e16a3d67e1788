#pragma once

#include "loginplan.h"
#include "oauthlogin.h"
#include "providerpresets.h"

#include <apimodel.h>

#include <QDialog>
#include <QPointer>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace portolan::client {
class ClientCore;
}

namespace portolan::gui {

class LoginDriver;

// Sets up one security scheme. apiKey, basic, bearer and digest: the value(s)
// typed here go straight to the keychain through the auth engine. OAuth 2 and
// OpenID Connect: a form prefilled from the document's flow (URLs, scopes as
// check boxes) and from OIDC discovery, with PKCE on by default, client
// authentication, redirect URI and extra parameters; "Log in" runs the flow
// and stores the tokens. Errors appear in the dialog, next to the form.
class SchemeSetupDialog : public QDialog {
    Q_OBJECT
public:
    // `document` and `core` are not owned and must outlive the dialog. `defaults`: what the provider
    // preset the user's scheme came from suggests (client/presetlogin, as the CLI applies them).
    SchemeSetupDialog(client::ClientCore *core, std::shared_ptr<const ApiDocument> document, const SecurityScheme &scheme,
                      QWidget *parent = nullptr, const auth::LoginDefaults &defaults = {});
    ~SchemeSetupDialog() override;

    const SecurityScheme &scheme() const { return m_scheme; }
    bool isOAuth() const;
    // What the form says (secrets included, in memory only); the client core plans the login from it.
    client::LoginInput loginInput(QString *error) const;
    // Saves (simple schemes) or logs in (OAuth); the outcome arrives by `finished`.
    void submit();
    // Runs OIDC discovery now and fills the endpoints and scopes from it.
    void discover();
    void setFlow(OAuthFlowKind flow);
    void setScopeChecked(const QString &scope, bool checked);
    QStringList checkedScopes() const;

    LoginDriver *driver() const { return m_driver; }
    QLabel *statusLabel() const { return m_status; }
    // Shown once an OAuth login has requests to show: opens its trace.
    QPushButton *traceButton() const { return m_trace; }
    QLineEdit *field(const QString &objectName) const;
    QCheckBox *systemBrowserBox() const { return m_systemBrowser; }
    QCheckBox *pkceBox() const { return m_pkce; }
    QComboBox *authMethodBox() const { return m_authMethod; }
    QTreeWidget *scopeList() const { return m_scopes; }

Q_SIGNALS:
    void discovered(bool ok);
    // ok: a credential is stored for the scheme.
    void setupFinished(bool ok, const QString &message);

private:
    void buildSimpleForm(QFormLayout *form);
    void buildOAuthForm(QFormLayout *form);
    void prefillFlow();
    void updateFlowRows();
    void setScopes(const QList<std::pair<QString, QString>> &scopes);
    void setStatus(const QString &text, bool error);
    void setBusy(bool busy);
    void onLoginFinished(bool ok, const QString &message, const QString &credentialId);
    // Runs or stores what the client core planned from `input`; asks for a key's passphrase first when needed.
    void start(const client::LoginInput &input);
    void prefillRemembered(QLineEdit *clientId);
    void prefillPresetDefaults();
    OAuthFlowKind currentFlow() const;
    QStringList requiredScopes() const;
    QLineEdit *addLine(QFormLayout *form, const QString &name, const QString &label, bool secret = false);
    QString api() const;

    client::ClientCore *m_core;  // not owned
    std::shared_ptr<const ApiDocument> m_document;
    SecurityScheme m_scheme;
    auth::LoginDefaults m_defaults;
    LoginDriver *m_driver = nullptr;  // owned by this (OAuth only)
    QFormLayout *m_form = nullptr;    // owned by this, like the widgets below
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_submit;
    QPushButton *m_trace;
    QComboBox *m_flow = nullptr;
    QComboBox *m_authMethod = nullptr;
    QCheckBox *m_pkce = nullptr;
    QCheckBox *m_systemBrowser = nullptr;
    QCheckBox *m_keepSignIn = nullptr;
    QCheckBox *m_dpop = nullptr;
    QCheckBox *m_secretTokenParameters = nullptr;
    QLineEdit *m_allowedHttpHosts = nullptr;
    QTreeWidget *m_scopes = nullptr;
    QPlainTextEdit *m_authorizationParameters = nullptr;
    QPlainTextEdit *m_tokenParameters = nullptr;
    QPushButton *m_discover = nullptr;
    client::LoginInput m_submitted;  // what the running login was started with, remembered when it succeeds
};

} // namespace portolan::gui
