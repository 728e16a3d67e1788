#include "requirementstatusview.h"
#include "themecolors.h"

#include "clientcore.h"

#include "credentialchoice.h"
#include "credentialstore.h"
#include "operationsender.h"

#include <QEvent>

namespace portolan::gui {

RequirementStatusView::RequirementStatusView(client::ClientCore *core, QWidget *parent)
    : QLabel(parent), m_core(core)
{
    setTextFormat(Qt::RichText);
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextBrowserInteraction);
    setAccessibleName(tr("Credentials for this operation"));
    connect(this, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(QLatin1String("setup:")))
            Q_EMIT setUpRequested(link.mid(6));
    });
    connect(m_core->store(), &auth::CredentialStore::changed, this, &RequirementStatusView::update);
    hide();
}

void RequirementStatusView::setRequirement(const ApiDocument &document, const SecurityRequirement &requirement)
{
    m_document = &document;
    m_requirement = requirement;
    update();
}

void RequirementStatusView::clear()
{
    m_document = nullptr;
    m_requirement.clear();
    m_satisfied.clear();
    QLabel::clear();
    hide();
}

void RequirementStatusView::setChosenCredentials(const QHash<QString, QString> &chosen)
{
    m_chosen = chosen;
    update();
}

void RequirementStatusView::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        update();
}

void RequirementStatusView::update()
{
    m_satisfied.clear();
    if (!m_document || m_requirement.isEmpty()) {
        hide();
        return;
    }
    client::CredentialRequest request;
    request.saved = m_chosen;
    const client::CredentialChoice choice = client::chooseCredentials(*m_core->store(), *m_document, m_requirement, request,
                                                                      client::documentSource(*m_document));
    QStringList lines;
    const QString success = cssColor(toneText(Tone::Success, palette()));
    const QString muted = cssColor(toneText(Tone::Muted, palette()));
    for (const auth::AlternativeStatus &status : choice.statuses) {
        const QString name = status.alternative.isEmpty() ? tr("no credentials") : client::alternativeText(status.alternative);
        const bool chosen = choice.satisfied && client::alternativeText(status.alternative) == client::alternativeText(choice.alternative);
        if (chosen && m_satisfied.isEmpty()) {
            m_satisfied = client::alternativeText(status.alternative);
            lines << tr("<span style=\"color:%2\">✔ <b>%1</b> — will be used</span>").arg(name.toHtmlEscaped(), success);
        } else if (status.satisfied()) {
            lines << tr("<span style=\"color:%2\">✔ %1</span>").arg(name.toHtmlEscaped(), success);
        } else {
            QStringList problems;
            for (const auth::SchemeStatus &scheme : status.schemes)
                if (!scheme.satisfied())
                    problems << QStringLiteral("%1 (<a href=\"setup:%2\">set up</a>)")
                                    .arg(scheme.problem.toHtmlEscaped(), scheme.scheme.toHtmlEscaped());
            // The core's problems name their scheme; a lone scheme needs no prefix.
            const QString prefix = status.schemes.size() > 1 ? name.toHtmlEscaped() + QStringLiteral(": ") : QString();
            lines << QStringLiteral("<span style=\"color:%3\">✘ %1%2</span>").arg(prefix, problems.join(QStringLiteral("; ")), muted);
        }
    }
    if (!choice.satisfied)
        lines << QStringLiteral("<span style=\"color:%2\">⚠ %1</span>")
                     .arg(choice.message.toHtmlEscaped(), cssColor(toneText(Tone::Warning, palette())));
    setText(withLinkColor(lines.join(QStringLiteral("<br>")), palette()));
    show();
}

} // namespace portolan::gui
