#pragma once

#include "apimodel.h"

#include <QLabel>

namespace portolan::gui {

// An operation's security requirement: its alternatives (any one suffices),
// each the schemes it needs together with their scopes. Which alternative is
// satisfied will be shown once credentials exist (the auth engine's part).
class SecurityRequirementView : public QLabel {
    Q_OBJECT
public:
    explicit SecurityRequirementView(QWidget *parent = nullptr);

    // `inherited`: the operation declares none of its own; `operationFromUser`: its own is the user's.
    void setRequirement(const ApiDocument &document, const SecurityRequirement &requirement, bool inherited,
                        bool operationFromUser = false);
    // The text the view shows, one line per alternative, for tests and accessibility.
    QStringList alternativeTexts() const { return m_alternatives; }

Q_SIGNALS:
    void schemeActivated(const QString &schemeName);

private:
    QStringList m_alternatives;
};

} // namespace portolan::gui
