#include "schemeeditordialog.h"

#include "themecolors.h"

#include "providerpresets.h"

#include <schemeoverrides.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace portolan::gui {

namespace {
const char *const kFlowUrls[] = {"authorizationUrl", "tokenUrl", "refreshUrl", "deviceAuthorizationUrl"};

// Which URLs a flow has in the Security Scheme Object.
bool flowHasUrl(OAuthFlowKind flow, const QString &url)
{
    if (url == QLatin1String("authorizationUrl"))
        return flow == OAuthFlowKind::AuthorizationCode || flow == OAuthFlowKind::Implicit;
    if (url == QLatin1String("tokenUrl"))
        return flow != OAuthFlowKind::Implicit;
    if (url == QLatin1String("deviceAuthorizationUrl"))
        return flow == OAuthFlowKind::DeviceAuthorization;
    return true;  // refreshUrl
}

QString urlLabel(const QString &url)
{
    if (url == QLatin1String("authorizationUrl"))
        return SchemeEditorDialog::tr("Authorization URL");
    if (url == QLatin1String("tokenUrl"))
        return SchemeEditorDialog::tr("Token URL");
    if (url == QLatin1String("refreshUrl"))
        return SchemeEditorDialog::tr("Refresh URL");
    return SchemeEditorDialog::tr("Device authorization URL");
}

// "name = description" per line, for a flow's scopes.
QString scopesText(const QList<std::pair<QString, QString>> &scopes)
{
    QStringList lines;
    for (const auto &[name, description] : scopes)
        lines << (description.isEmpty() ? name : name + QStringLiteral(" = ") + description);
    return lines.join(QLatin1Char('\n'));
}

QString flowObjectName(OAuthFlowKind flow, const char *field)
{
    return oauthFlowName(flow) + QLatin1Char('.') + QLatin1String(field);
}
} // namespace

SchemeEditorDialog::SchemeEditorDialog(const SecurityScheme *existing, bool offerRequire, QWidget *parent)
    : QDialog(parent), m_form(new QFormLayout), m_name(new QLineEdit(this)), m_type(new QComboBox(this)),
      m_in(new QComboBox(this)), m_httpScheme(new QComboBox(this)), m_status(new QLabel(this))
{
    setWindowTitle(existing ? (existing->userDefined ? tr("Edit your scheme %1").arg(existing->name)
                                                     : tr("Edit %1 (your version replaces the document's)").arg(existing->name))
                            : tr("Add a security scheme"));
    auto *layout = new QVBoxLayout(this);

    if (!existing) {
        // A provider preset fills the fields; its placeholders are asked for first.
        auto *presetGroup = new QGroupBox(tr("Start from a provider preset"), this);
        auto *presetLayout = new QFormLayout(presetGroup);
        m_preset = new QComboBox(presetGroup);
        m_preset->setAccessibleName(tr("Provider preset"));
        m_preset->addItem(tr("None: fill in the fields"), QString());
        for (const auth::ProviderPreset &preset : auth::ProviderPresets::builtIn().all())
            m_preset->addItem(preset.name, preset.id);
        presetLayout->addRow(tr("&Preset"), m_preset);
        m_documentation = new QLabel(presetGroup);
        m_documentation->setTextFormat(Qt::RichText);
        m_documentation->setOpenExternalLinks(true);
        m_documentation->setWordWrap(true);
        m_documentation->setAccessibleName(tr("The provider's documentation"));
        presetLayout->addRow(m_documentation);
        m_placeholders = new QFormLayout;
        presetLayout->addRow(m_placeholders);
        auto *fill = new QPushButton(tr("&Fill in from the preset"), presetGroup);
        fill->setObjectName(QStringLiteral("fillFromPreset"));
        presetLayout->addRow(QString(), fill);
        layout->addWidget(presetGroup);
        connect(m_preset, &QComboBox::currentIndexChanged, this, [this] {
            showPreset();
            fillFromPreset();
        });
        connect(fill, &QPushButton::clicked, this, &SchemeEditorDialog::fillFromPreset);
    }

    m_name->setObjectName(QStringLiteral("name"));
    m_name->setAccessibleName(tr("Scheme name"));
    m_form->addRow(tr("&Name"), m_name);
    m_type->setObjectName(QStringLiteral("type"));
    m_type->setAccessibleName(tr("Type"));
    for (SecuritySchemeType type : {SecuritySchemeType::OAuth2, SecuritySchemeType::OpenIdConnect, SecuritySchemeType::Http,
                                    SecuritySchemeType::ApiKey, SecuritySchemeType::MutualTls})
        m_type->addItem(securitySchemeTypeName(type));
    m_form->addRow(tr("&Type"), m_type);
    addLine(m_form, QStringLiteral("description"), tr("&Description"));
    m_in->addItems({QStringLiteral("header"), QStringLiteral("query"), QStringLiteral("cookie")});
    m_in->setAccessibleName(tr("API key in"));
    m_form->addRow(tr("API key &in"), m_in);
    addLine(m_form, QStringLiteral("parameterName"), tr("API key na&me"))->setPlaceholderText(tr("e.g. X-API-Key"));
    m_httpScheme->setEditable(true);
    m_httpScheme->addItems({QStringLiteral("bearer"), QStringLiteral("basic"), QStringLiteral("digest")});
    m_httpScheme->setAccessibleName(tr("HTTP scheme"));
    m_form->addRow(tr("HTTP &scheme"), m_httpScheme);
    addLine(m_form, QStringLiteral("bearerFormat"), tr("&Bearer format"))->setPlaceholderText(tr("e.g. JWT"));
    addLine(m_form, QStringLiteral("openIdConnectUrl"), tr("OpenID &Connect URL"))
        ->setPlaceholderText(tr("https://issuer/.well-known/openid-configuration"));
    for (OAuthFlowKind flow : allOAuthFlows()) {
        // Checked = the scheme has this flow.
        auto *box = new QGroupBox(oauthFlowName(flow), this);
        box->setObjectName(oauthFlowName(flow));
        box->setCheckable(true);
        auto *flowForm = new QFormLayout(box);
        for (const char *url : kFlowUrls)
            if (flowHasUrl(flow, QLatin1String(url)))
                addLine(flowForm, flowObjectName(flow, url), urlLabel(QLatin1String(url)));
        auto *scopes = new QPlainTextEdit(box);
        scopes->setObjectName(flowObjectName(flow, "scopes"));
        scopes->setAccessibleName(tr("%1 scopes").arg(oauthFlowName(flow)));
        scopes->setPlaceholderText(tr("one per line: name = description"));
        scopes->setMaximumHeight(80);
        flowForm->addRow(tr("Scopes"), scopes);
        // A flow the scheme does not have folds to its check box.
        connect(box, &QGroupBox::toggled, box, [box](bool on) {
            for (QWidget *child : box->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly))
                child->setVisible(on);
        });
        m_flows.insert(flow, box);
        m_form->addRow(box);
        box->setChecked(false);
    }
    layout->addLayout(m_form);
    if (offerRequire) {
        m_require = new QCheckBox(tr("The whole API requires this scheme (the document declares no requirement)"), this);
        m_require->setChecked(!existing);
        layout->addWidget(m_require);
    }
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Status"));
    m_status->hide();
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        // Closes only once saved: a refusal is shown here, next to what the user typed.
        SecurityScheme checked;
        QString error;
        if (scheme(&checked, &error) && (!m_save || m_save(checked, &error)))
            accept();
        else
            setStatus(error, true);
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, &SchemeEditorDialog::updateRows);

    if (existing) {
        m_name->setText(existing->name);
        m_name->setReadOnly(true);  // the name is how requirements refer to it
        fillFromJson(securitySchemeToJson(*existing));
    } else {
        showPreset();
    }
    updateRows();
}

QLineEdit *SchemeEditorDialog::addLine(QFormLayout *form, const QString &name, const QString &label)
{
    auto *line = new QLineEdit(this);
    line->setObjectName(name);
    line->setAccessibleName(QString(label).remove(QLatin1Char('&')));
    form->addRow(label, line);
    return line;
}

QLineEdit *SchemeEditorDialog::field(const QString &objectName) const
{
    return findChild<QLineEdit *>(objectName);
}

QLineEdit *SchemeEditorDialog::placeholderField(const QString &name) const
{
    return findChild<QLineEdit *>(QStringLiteral("placeholder.") + name);
}

QGroupBox *SchemeEditorDialog::flowBox(OAuthFlowKind flow) const
{
    return m_flows.value(flow);
}

QPlainTextEdit *SchemeEditorDialog::scopesEdit(OAuthFlowKind flow) const
{
    return findChild<QPlainTextEdit *>(flowObjectName(flow, "scopes"));
}

bool SchemeEditorDialog::requireForApi() const
{
    return m_require && m_require->isChecked();
}

void SchemeEditorDialog::updateRows()
{
    const QString type = m_type->currentText();
    m_form->setRowVisible(m_in, type == QLatin1String("apiKey"));
    m_form->setRowVisible(field(QStringLiteral("parameterName")), type == QLatin1String("apiKey"));
    m_form->setRowVisible(m_httpScheme, type == QLatin1String("http"));
    m_form->setRowVisible(field(QStringLiteral("bearerFormat")), type == QLatin1String("http"));
    m_form->setRowVisible(field(QStringLiteral("openIdConnectUrl")), type == QLatin1String("openIdConnect"));
    for (QGroupBox *box : std::as_const(m_flows))
        m_form->setRowVisible(box, type == QLatin1String("oauth2"));
}

void SchemeEditorDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setForegroundRole(QPalette::WindowText);
    QPalette palette;  // only the text colour: the rest follows the theme
    palette.setColor(QPalette::WindowText, toneText(error ? Tone::Error : Tone::Muted, this->palette()));
    m_status->setPalette(palette);
    m_status->setVisible(!text.isEmpty());
}

void SchemeEditorDialog::choosePreset(const QString &id)
{
    if (m_preset)
        m_preset->setCurrentIndex(qMax(0, m_preset->findData(id)));
}

void SchemeEditorDialog::showPreset()
{
    while (m_placeholders->rowCount() > 0)
        m_placeholders->removeRow(0);
    const auth::ProviderPreset *preset = auth::ProviderPresets::builtIn().find(m_preset->currentData().toString());
    m_documentation->setVisible(preset != nullptr);
    if (!preset)
        return;
    QStringList links;
    for (const QString &url : preset->documentation)
        links << QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), (QUrl(url).host() + QUrl(url).path()).toHtmlEscaped());
    m_documentation->setText(withLinkColor(tr("Documentation: %1").arg(links.join(QStringLiteral(", "))), palette()));
    m_documentation->setToolTip(preset->documentation.join(QLatin1Char('\n')));
    for (const auth::ProviderPreset::Placeholder &placeholder : preset->placeholders) {
        auto *line = new QLineEdit(this);
        line->setObjectName(QStringLiteral("placeholder.") + placeholder.name);
        line->setAccessibleName(placeholder.name);
        line->setPlaceholderText(placeholder.defaultValue.isEmpty() ? placeholder.description : placeholder.defaultValue);
        line->setToolTip(placeholder.description);
        m_placeholders->addRow(QStringLiteral("{%1}").arg(placeholder.name), line);
    }
}

bool SchemeEditorDialog::fillFromPreset()
{
    const auth::ProviderPreset *preset = m_preset ? auth::ProviderPresets::builtIn().find(m_preset->currentData().toString()) : nullptr;
    if (!preset) {
        m_loginDefaults = {};
        return false;
    }
    QHash<QString, QString> values;
    for (const auth::ProviderPreset::Placeholder &placeholder : preset->placeholders)
        if (const QString value = placeholderField(placeholder.name)->text().trimmed(); !value.isEmpty())
            values.insert(placeholder.name, value);
    const QString name = m_name->text().trimmed().isEmpty() ? preset->id : m_name->text().trimmed();
    SecurityScheme filled;
    auth::LoginDefaults defaults;
    QString error;
    if (!preset->instantiate(name, values, &filled, &defaults, &error)) {
        setStatus(tr("Fill in the preset's placeholders: %1").arg(error), true);
        return false;
    }
    m_name->setText(name);
    fillFromJson(securitySchemeToJson(filled));
    m_loginDefaults = defaults.toJson();
    setStatus(tr("Filled in from the %1 preset; every field can still be changed.").arg(preset->name), false);
    return true;
}

void SchemeEditorDialog::fillFromJson(const QJsonObject &json)
{
    const auto text = [&json](const char *name) { return json.value(QLatin1String(name)).toString(); };
    m_type->setCurrentText(text("type"));
    field(QStringLiteral("description"))->setText(text("description"));
    if (!text("in").isEmpty())
        m_in->setCurrentText(text("in"));
    field(QStringLiteral("parameterName"))->setText(text("name"));
    if (!text("scheme").isEmpty())
        m_httpScheme->setCurrentText(text("scheme"));
    field(QStringLiteral("bearerFormat"))->setText(text("bearerFormat"));
    field(QStringLiteral("openIdConnectUrl"))->setText(text("openIdConnectUrl"));
    const QJsonObject flows = json.value(QLatin1String("flows")).toObject();
    for (OAuthFlowKind flow : allOAuthFlows()) {
        const QJsonObject flowJson = flows.value(oauthFlowName(flow)).toObject();
        m_flows.value(flow)->setChecked(flows.contains(oauthFlowName(flow)));
        for (const char *url : kFlowUrls)
            if (QLineEdit *line = field(flowObjectName(flow, url)))
                line->setText(flowJson.value(QLatin1String(url)).toString());
        QList<std::pair<QString, QString>> scopes;
        const QJsonObject scopesJson = flowJson.value(QLatin1String("scopes")).toObject();
        for (auto it = scopesJson.begin(); it != scopesJson.end(); ++it)
            scopes.append({it.key(), it.value().toString()});
        scopesEdit(flow)->setPlainText(scopesText(scopes));
    }
    updateRows();
}

QJsonObject SchemeEditorDialog::toJson() const
{
    QJsonObject json;
    const QString type = m_type->currentText();
    json.insert(QLatin1String("type"), type);
    const auto put = [](QJsonObject &object, const char *name, const QString &value) {
        if (!value.trimmed().isEmpty())
            object.insert(QLatin1String(name), value.trimmed());
    };
    put(json, "description", field(QStringLiteral("description"))->text());
    if (type == QLatin1String("apiKey")) {
        put(json, "in", m_in->currentText());
        put(json, "name", field(QStringLiteral("parameterName"))->text());
    } else if (type == QLatin1String("http")) {
        put(json, "scheme", m_httpScheme->currentText().toLower());
        put(json, "bearerFormat", field(QStringLiteral("bearerFormat"))->text());
    } else if (type == QLatin1String("openIdConnect")) {
        put(json, "openIdConnectUrl", field(QStringLiteral("openIdConnectUrl"))->text());
    } else if (type == QLatin1String("oauth2")) {
        QJsonObject flows;
        for (OAuthFlowKind flow : allOAuthFlows()) {
            if (!m_flows.value(flow)->isChecked())
                continue;
            QJsonObject flowJson;
            for (const char *url : kFlowUrls)
                if (QLineEdit *line = field(flowObjectName(flow, url)))
                    put(flowJson, url, line->text());
            QJsonObject scopes;
            for (const QString &line : scopesEdit(flow)->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
                const qsizetype equals = line.indexOf(QLatin1Char('='));
                const QString name = (equals < 0 ? line : line.left(equals)).trimmed();
                if (!name.isEmpty())
                    scopes.insert(name, equals < 0 ? QString() : line.mid(equals + 1).trimmed());
            }
            flowJson.insert(QLatin1String("scopes"), scopes);
            flows.insert(oauthFlowName(flow), flowJson);
        }
        json.insert(QLatin1String("flows"), flows);
    }
    return json;
}

bool SchemeEditorDialog::scheme(SecurityScheme *out, QString *error) const
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty()) {
        *error = tr("Give the scheme a name: requirements refer to it by name.");
        return false;
    }
    return securitySchemeFromJson(name, toJson(), out, error);
}

} // namespace portolan::gui
