#pragma once

#include "apistate.h"
#include "environment.h"
#include "requestplan.h"

#include <QWidget>

class QAction;
class QComboBox;
class QFrame;
class QLabel;
class QTextBrowser;

namespace portolan {
class ApiDocument;
class ReferenceResolver;
struct Operation;
}

namespace portolan::client {
class ClientCore;
}

namespace portolan::gui {

class ParameterForm;
class RequestBodyEditor;
class RequestLine;
class RequirementStatusView;
class ResponsesView;
class SecurityRequirementView;
class ServerPicker;

// Everything about one operation: the request line (method, resolved URL,
// Send), the path, summary, Markdown description, server, security requirement, the parameter form, the request
// body editor and the responses.
class OperationPage : public QWidget {
    Q_OBJECT
public:
    // `core` is not owned and must outlive the page.
    explicit OperationPage(client::ClientCore *core, QWidget *parent = nullptr);

    // `document`, `resolver` and `operation` must outlive what is shown.
    void showOperation(const ApiDocument &document, const ReferenceResolver &resolver, const Operation &operation,
                       const OperationInput &input);
    // Forgets the operation shown (before the document it belongs to goes away).
    void clear();
    // What the user typed, credentials left out: what may be saved.
    OperationInput input() const;
    const Operation *operation() const { return m_operation; }

    // The environments offered next to the server ("No environment" first).
    void setEnvironments(const QList<http::Environment> &environments);
    // Selects the environment with this name; an unknown or empty name selects none.
    void selectEnvironment(const QString &name);
    // The chosen environment, or null for none.
    const http::Environment *environment() const;
    // The credential the user chose per scheme (scheme -> credential id), as the security panel keeps it.
    void setChosenCredentials(const QHash<QString, QString> &chosen);
    // What the page says as a request: server, variables, parameter values and body as typed.
    client::RequestInput requestInput() const;

    // Shows `action` (the inspector's one Send action, not owned) on the request line.
    void setSendAction(QAction *action);

    RequestLine *requestLine() const { return m_requestLine; }
    ServerPicker *serverPicker() const { return m_servers; }
    QComboBox *environmentBox() const { return m_environmentBox; }
    ParameterForm *parameterForm() const { return m_parameters; }
    RequestBodyEditor *bodyEditor() const { return m_body; }
    ResponsesView *responsesView() const { return m_responses; }
    SecurityRequirementView *securityView() const { return m_security; }
    RequirementStatusView *securityStatus() const { return m_securityStatus; }
    QTextBrowser *descriptionView() const { return m_description; }

Q_SIGNALS:
    void inputEdited();
    void serverChanged();
    void environmentChanged();
    void securitySchemeActivated(const QString &schemeName);

private:
    // Adds a bold heading with a rule under it; `rule` receives the rule when given.
protected:
    void changeEvent(QEvent *event) override;

private:
    QLabel *addSection(const QString &title, QFrame **rule = nullptr);
    // The request line's URL, from the client core's preview of the request as it stands.
    void updateRequestLine();
    void applyBadgeColors();

    const ApiDocument *m_document = nullptr;  // not owned
    const Operation *m_operation = nullptr;  // not owned
    OperationDetails m_details;               // m_operation's, read when it is shown
    RequestLine *m_requestLine;              // owned by this, like every widget below
    QLabel *m_path;
    QLabel *m_badges;
    QLabel *m_summary;
    QTextBrowser *m_description;
    ServerPicker *m_servers;
    QComboBox *m_environmentBox;
    QList<http::Environment> m_environments;
    SecurityRequirementView *m_security;
    RequirementStatusView *m_securityStatus = nullptr;
    QLabel *m_noParameters;
    ParameterForm *m_parameters;
    QLabel *m_bodyHeading = nullptr;
    QFrame *m_bodyRule = nullptr;
    RequestBodyEditor *m_body;
    ResponsesView *m_responses;
};

} // namespace portolan::gui
