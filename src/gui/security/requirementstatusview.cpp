#include "requirementstatusview.h"

#include "authservices.h"

#include "credentialstore.h"
#include "requestsigner.h"

namespace portolan::gui {

RequirementStatusView::RequirementStatusView(AuthServices *services, QWidget *parent)
    : QLabel(parent), m_services(services)
{
    setTextFormat(Qt::RichText);
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextBrowserInteraction);
    setAccessibleName(tr("Credentials for this operation"));
    connect(this, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(QLatin1String("setup:")))
            Q_EMIT setUpRequested(link.mid(6));
    });
    connect(m_services->store(), &auth::CredentialStore::changed, this, &RequirementStatusView::update);
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

void RequirementStatusView::update()
{
    m_satisfied.clear();
    if (!m_document || m_requirement.isEmpty()) {
        hide();
        return;
    }
    const QList<auth::AlternativeStatus> statuses = m_services->signer()->evaluate(*m_document, m_requirement);
    QStringList lines;
    for (const auth::AlternativeStatus &status : statuses) {
        QStringList names;
        for (const SchemeUse &use : status.alternative)
            names << use.scheme;
        const QString name = names.isEmpty() ? tr("no credentials") : names.join(QStringLiteral(" + "));
        if (status.satisfied() && m_satisfied.isEmpty()) {
            m_satisfied = names.isEmpty() ? tr("none") : name;
            lines << tr("<span style=\"color:#1e8449\">✔ <b>%1</b> — will be used</span>").arg(name.toHtmlEscaped());
        } else if (status.satisfied()) {
            lines << tr("<span style=\"color:#1e8449\">✔ %1</span>").arg(name.toHtmlEscaped());
        } else {
            QStringList problems;
            for (const auth::SchemeStatus &scheme : status.schemes)
                if (!scheme.satisfied())
                    problems << QStringLiteral("%1 (<a href=\"setup:%2\">set up</a>)")
                                    .arg(scheme.problem.toHtmlEscaped(), scheme.scheme.toHtmlEscaped());
            // The engine's problems name their scheme; a lone scheme needs no prefix.
            const QString prefix = status.schemes.size() > 1 ? name.toHtmlEscaped() + QStringLiteral(": ") : QString();
            lines << QStringLiteral("<span style=\"color:gray\">✘ %1%2</span>").arg(prefix, problems.join(QStringLiteral("; ")));
        }
    }
    setText(lines.join(QStringLiteral("<br>")));
    show();
}

} // namespace portolan::gui
