#pragma once

#include <apimodel.h>

#include <QLabel>

namespace portolan::gui {

class AuthServices;

// Under an operation's security requirement: which alternative the stored
// credentials satisfy now (the auth engine's evaluation) and, for the
// others, what is missing. Follows the credential store.
class RequirementStatusView : public QLabel {
    Q_OBJECT
public:
    // `services` is not owned and must outlive the view.
    explicit RequirementStatusView(AuthServices *services, QWidget *parent = nullptr);

    // `document` must outlive what is shown (or clear() first).
    void setRequirement(const ApiDocument &document, const SecurityRequirement &requirement);
    void clear();
    // The satisfied alternative's scheme names joined with " + "; empty when none.
    QString satisfiedAlternative() const { return m_satisfied; }

Q_SIGNALS:
    void setUpRequested(const QString &schemeName);

private:
    void update();

    AuthServices *m_services;  // not owned
    const ApiDocument *m_document = nullptr;  // not owned
    SecurityRequirement m_requirement;
    QString m_satisfied;
};

} // namespace portolan::gui
