#include "apioverview.h"

#include "apimodel.h"

namespace portolan::gui {

namespace {
QString escapeCell(QString text)
{
    return text.replace(QLatin1Char('|'), QStringLiteral("\\|")).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

QString schemeDetails(const SecurityScheme &scheme)
{
    switch (scheme.type) {
    case SecuritySchemeType::ApiKey:
        return QStringLiteral("`%1` in %2").arg(scheme.parameterName, scheme.in);
    case SecuritySchemeType::Http:
        return scheme.bearerFormat.isEmpty() ? scheme.scheme : QStringLiteral("%1 (%2)").arg(scheme.scheme, scheme.bearerFormat);
    case SecuritySchemeType::OAuth2: {
        QStringList flows;
        for (const OAuthFlow &flow : scheme.flows)
            flows << oauthFlowName(flow.kind);
        return flows.join(QStringLiteral(", "));
    }
    case SecuritySchemeType::OpenIdConnect:
        return scheme.openIdConnectUrl;
    default:
        return {};
    }
}
} // namespace

ApiOverview::ApiOverview(QWidget *parent) : QTextBrowser(parent)
{
    setOpenExternalLinks(true);
    setFrameShape(QFrame::NoFrame);
    setAccessibleName(tr("API overview"));
    document()->setDocumentMargin(18);
}

QString ApiOverview::markdown(const ApiDocument &document)
{
    QString md;
    const ApiInfo &info = document.info;
    md += QStringLiteral("# %1\n\n").arg(info.title.isEmpty() ? tr("Untitled API") : info.title);
    md += QStringLiteral("**%1** %2 · %3 %4 · %5\n\n")
              .arg(tr("Version"), info.version.isEmpty() ? QStringLiteral("—") : info.version,
                   document.format == SpecFormat::Swagger ? QStringLiteral("Swagger") : QStringLiteral("OpenAPI"),
                   document.specVersion, tr("%n operation(s)", nullptr, int(document.operations.size())));
    if (!info.summary.isEmpty())
        md += QStringLiteral("*%1*\n\n").arg(info.summary);
    if (!info.description.isEmpty())
        md += info.description + QStringLiteral("\n\n");
    if (!document.servers.isEmpty()) {
        md += QStringLiteral("## %1\n\n").arg(tr("Servers"));
        for (const Server &server : document.servers)
            md += QStringLiteral("* `%1`%2\n").arg(server.url, server.description.isEmpty() ? QString() : QStringLiteral(" — ") + server.description);
        md += QLatin1Char('\n');
    }
    if (!document.securitySchemes.isEmpty()) {
        md += QStringLiteral("## %1\n\n| %2 | %3 | %4 |\n|---|---|---|\n")
                  .arg(tr("Security schemes"), tr("Name"), tr("Type"), tr("Details"));
        for (const SecurityScheme &scheme : document.securitySchemes)
            md += QStringLiteral("| **%1** | %2 | %3 |\n")
                      .arg(escapeCell(scheme.name), securitySchemeTypeName(scheme.type), escapeCell(schemeDetails(scheme)));
        md += QLatin1Char('\n');
    }
    if (!info.contactName.isEmpty() || !info.contactUrl.isEmpty() || !info.contactEmail.isEmpty() || !info.licenseName.isEmpty()) {
        md += QStringLiteral("---\n\n");
        if (!info.contactName.isEmpty() || !info.contactEmail.isEmpty())
            md += QStringLiteral("%1: %2 %3  \n").arg(tr("Contact"), info.contactName, info.contactEmail);
        if (!info.contactUrl.isEmpty())
            md += QStringLiteral("<%1>  \n").arg(info.contactUrl);
        if (!info.licenseName.isEmpty())
            md += QStringLiteral("%1: %2\n").arg(tr("Licence"), info.licenseName);
    }
    return md;
}

void ApiOverview::showDocument(const ApiDocument &document)
{
    this->document()->setMarkdown(markdown(document));
}

} // namespace portolan::gui
