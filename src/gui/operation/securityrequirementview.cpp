#include "securityrequirementview.h"
#include "themecolors.h"

namespace portolan::gui {

namespace {
QString schemeKind(const SecurityScheme *scheme)
{
    if (!scheme)
        return SecurityRequirementView::tr("undeclared");
    switch (scheme->type) {
    case SecuritySchemeType::ApiKey:
        return QStringLiteral("API key in %1 “%2”").arg(scheme->in, scheme->parameterName);
    case SecuritySchemeType::Http:
        return QStringLiteral("HTTP %1").arg(scheme->scheme);
    case SecuritySchemeType::OAuth2: {
        QStringList flows;
        for (const OAuthFlow &flow : scheme->flows)
            flows << oauthFlowName(flow.kind);
        return QStringLiteral("OAuth 2 (%1)").arg(flows.join(QStringLiteral(", ")));
    }
    case SecuritySchemeType::OpenIdConnect:
        return QStringLiteral("OpenID Connect");
    case SecuritySchemeType::MutualTls:
        return QStringLiteral("mutual TLS");
    case SecuritySchemeType::Unknown:
        break;
    }
    return securitySchemeTypeName(scheme->type);
}
} // namespace

SecurityRequirementView::SecurityRequirementView(QWidget *parent) : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextBrowserInteraction);
    setAccessibleName(tr("Security requirement"));
    connect(this, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(QLatin1String("scheme:")))
            Q_EMIT schemeActivated(link.mid(7));
    });
}

void SecurityRequirementView::setRequirement(const ApiDocument &document, const SecurityRequirement &requirement,
                                             bool inherited, bool operationFromUser)
{
    m_alternatives.clear();
    QString html;
    const bool undeclared = requirement.isEmpty() && inherited && !document.globalSecurity;
    if (undeclared) {
        // Not "no authentication": many real documents (GitHub's) say it only in prose.
        m_alternatives << tr("Undeclared");
        // "scheme:" without a name opens the security panel, which offers presets and "Add scheme…".
        html = tr("The document does not declare its authentication. Add a scheme and set the requirement "
                  "in the <a href=\"scheme:\">security panel</a> if the API needs one.");
    } else if (requirement.isEmpty()) {
        m_alternatives << tr("No authentication");
        html = QStringLiteral("<img src=\":/icons/lock-open.svg\" width=\"12\"> ") + tr("No authentication needed.");
    } else {
        html = requirement.size() == 1 ? tr("Needs:") : tr("Needs <b>one</b> of:");
        html += QStringLiteral("<ul style=\"margin-left:-20px\">");
        for (const SecurityAlternative &alternative : requirement) {
            QStringList plain;
            QStringList parts;
            for (const SchemeUse &use : alternative) {
                const SecurityScheme *scheme = document.securityScheme(use.scheme);
                QString part = QStringLiteral("<a href=\"scheme:%1\">%2</a> <span style=\"color:%4\">%3</span>")
                                   .arg(use.scheme.toHtmlEscaped(), use.scheme.toHtmlEscaped(),
                                        schemeKind(scheme).toHtmlEscaped(), cssColor(toneText(Tone::Muted, palette())));
                if (scheme && scheme->userDefined)
                    part += QStringLiteral(" <i>%1</i>").arg(tr("(yours)"));
                QString text = scheme && scheme->userDefined ? tr("%1 (yours)").arg(use.scheme) : use.scheme;
                if (!use.scopes.isEmpty()) {
                    part += QStringLiteral(" — scopes: <code>%1</code>").arg(use.scopes.join(QLatin1Char(' ')).toHtmlEscaped());
                    text += QStringLiteral(" [%1]").arg(use.scopes.join(QLatin1Char(' ')));
                }
                parts << part;
                plain << text;
            }
            if (alternative.isEmpty()) {
                parts << tr("<i>no credentials (authentication optional)</i>");
                plain << tr("anonymous");
            }
            html += QStringLiteral("<li><img src=\":/icons/lock-closed.svg\" width=\"12\"> %1</li>").arg(parts.join(tr(" <b>and</b> ")));
            m_alternatives << plain.join(QStringLiteral(" + "));
        }
        html += QStringLiteral("</ul>");
    }
    const bool fromUser = inherited ? document.globalSecurityFromUser : operationFromUser;
    const QString muted = cssColor(toneText(Tone::Muted, palette()));
    if (fromUser)
        html += QStringLiteral("<span style=\"color:%1\">%2</span>").arg(muted, tr("Set by you, not by the document."));
    else if (inherited && !requirement.isEmpty())
        html += QStringLiteral("<span style=\"color:%1\">%2</span>").arg(muted, tr("Inherited from the document."));
    setText(withLinkColor(html, palette()));
}

} // namespace portolan::gui
