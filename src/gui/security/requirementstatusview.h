#pragma once

#include <apimodel.h>

#include <QLabel>

namespace portolan::client {
class ClientCore;
}

namespace portolan::gui {


// Under an operation's security requirement: which alternative the stored
// credentials satisfy now and, for the others, what is missing — the client
// core's credential choice, the same one sending makes. When nothing
// satisfies the requirement it shows the core's message (schemes and the
// login command). Follows the credential store.
class RequirementStatusView : public QLabel {
    Q_OBJECT
public:
    // `core` is not owned and must outlive the view.
    explicit RequirementStatusView(client::ClientCore *core, QWidget *parent = nullptr);

    // `document` must outlive what is shown (or clear() first).
    void setRequirement(const ApiDocument &document, const SecurityRequirement &requirement);
    void clear();
    // The user's choice per scheme (scheme -> credential id), as sending uses it.
    void setChosenCredentials(const QHash<QString, QString> &chosen);
    // The satisfied alternative's scheme names joined with " + "; empty when none.
    QString satisfiedAlternative() const { return m_satisfied; }

Q_SIGNALS:
    void setUpRequested(const QString &schemeName);

protected:
    void changeEvent(QEvent *event) override;  // colours and links follow the theme

private:
    void update();

    client::ClientCore *m_core;  // not owned
    const ApiDocument *m_document = nullptr;  // not owned
    SecurityRequirement m_requirement;
    QHash<QString, QString> m_chosen;
    QString m_satisfied;
};

} // namespace portolan::gui
