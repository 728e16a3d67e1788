#include "schemesetupdialog.h"

#include "clientcore.h"
#include "themecolors.h"
#include "logindriver.h"
#include "networkrecorder.h"
#include "traceview.h"
#include "passphraseprompt.h"
#include "presetlogin.h"
#include "schemestatemodel.h"

#include "credentialstore.h"
#include "oidc.h"
#include "requestsigner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace portolan::gui {

namespace {

QString flowTitle(OAuthFlowKind flow)
{
    switch (flow) {
    case OAuthFlowKind::AuthorizationCode: return SchemeSetupDialog::tr("Authorization code");
    case OAuthFlowKind::Implicit: return SchemeSetupDialog::tr("Implicit");
    case OAuthFlowKind::Password: return SchemeSetupDialog::tr("Resource owner password");
    case OAuthFlowKind::ClientCredentials: return SchemeSetupDialog::tr("Client credentials");
    case OAuthFlowKind::DeviceAuthorization: return SchemeSetupDialog::tr("Device authorization");
    }
    return {};
}

// "key=value" per line; blank lines and lines starting with # are skipped.
auth::Parameters parseParameters(const QString &text, QString *error)
{
    auth::Parameters parameters;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const int equals = line.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            *error = SchemeSetupDialog::tr("line %1: write name=value").arg(i + 1);
            return {};
        }
        parameters.append({line.left(equals).trimmed(), line.mid(equals + 1).trimmed()});
    }
    return parameters;
}

} // namespace

SchemeSetupDialog::SchemeSetupDialog(client::ClientCore *core, std::shared_ptr<const ApiDocument> document,
                                     const SecurityScheme &scheme, QWidget *parent, const auth::LoginDefaults &defaults)
    : QDialog(parent), m_core(core), m_document(std::move(document)), m_scheme(scheme), m_defaults(defaults),
      m_status(new QLabel(this)), m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(scheme.userDefined ? tr("Set up %1 (your scheme)").arg(scheme.name) : tr("Set up %1").arg(scheme.name));
    auto *heading = new QLabel(this);
    heading->setTextFormat(Qt::RichText);
    heading->setWordWrap(true);
    QString kind = schemeDescription(scheme);
    if (scheme.userDefined)
        kind += tr(" — yours, not the document's") + (defaults.preset.isEmpty() ? QString() : tr(" (preset %1)").arg(defaults.preset));
    heading->setText(QStringLiteral("<b>%1</b> &nbsp;<span style=\"color:%3\">%2</span>")
                         .arg(scheme.name.toHtmlEscaped(), kind.toHtmlEscaped(), cssColor(toneText(Tone::Muted, palette()))));
    auto *description = new QLabel(this);
    description->setTextFormat(Qt::MarkdownText);  // descriptions are CommonMark
    description->setWordWrap(true);
    description->setText(scheme.description);
    description->setVisible(!scheme.description.isEmpty());

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Setup status"));
    m_status->hide();

    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    if (isOAuth())
        buildOAuthForm(m_form);
    else
        buildSimpleForm(m_form);
    m_submit = m_buttons->addButton(isOAuth() ? tr("Log in") : tr("Save to keychain"), QDialogButtonBox::AcceptRole);
    m_submit->setDefault(true);
    connect(m_submit, &QPushButton::clicked, this, &SchemeSetupDialog::submit);
    m_trace = m_buttons->addButton(tr("Login Trace…"), QDialogButtonBox::HelpRole);
    m_trace->setToolTip(tr("Every request the login made and what came back, secrets redacted"));
    m_trace->hide();
    connect(m_trace, &QPushButton::clicked, this, [this] {
        if (m_driver)
            openTraceWindow(tr("Login trace — %1").arg(m_scheme.name), m_driver->trace()->exchanges(), this);
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        if (m_driver)
            m_driver->cancel();
        reject();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(description);
    layout->addLayout(m_form);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    setMinimumWidth(560);
}

SchemeSetupDialog::~SchemeSetupDialog() = default;

bool SchemeSetupDialog::isOAuth() const
{
    return client::isOAuthScheme(m_scheme);
}

QString SchemeSetupDialog::api() const
{
    return auth::apiIdentity(*m_document);
}

QLineEdit *SchemeSetupDialog::addLine(QFormLayout *form, const QString &name, const QString &label, bool secret)
{
    auto *line = new QLineEdit(this);
    line->setObjectName(name);
    line->setAccessibleName(QString(label).remove(QLatin1Char('&')));
    if (secret) {
        line->setEchoMode(QLineEdit::Password);
        QAction *reveal = line->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), QLineEdit::TrailingPosition);
        reveal->setToolTip(tr("Show or hide"));
        connect(reveal, &QAction::triggered, line, [line] {
            line->setEchoMode(line->echoMode() == QLineEdit::Password ? QLineEdit::Normal : QLineEdit::Password);
        });
    }
    form->addRow(label, line);
    return line;
}

QLineEdit *SchemeSetupDialog::field(const QString &objectName) const
{
    return findChild<QLineEdit *>(objectName);
}

void SchemeSetupDialog::buildSimpleForm(QFormLayout *form)
{
    auth::CredentialKind kind = auth::CredentialKind::Bearer;
    QString unsupported;
    if (!client::storedCredentialKind(m_scheme, &kind, &unsupported))
        setStatus(unsupported, true);
    const bool stored = !m_core->store()->forScheme(api(), m_scheme.name).isEmpty();
    if (kind == auth::CredentialKind::Basic || kind == auth::CredentialKind::Digest)
        addLine(form, QStringLiteral("username"), tr("&User"))->setText(m_core->loginMemory().recall(api(), m_scheme.name).username);
    QString label = tr("&Token");
    if (kind == auth::CredentialKind::ApiKey)
        label = tr("&API key (%1 “%2”)").arg(m_scheme.in, m_scheme.parameterName);
    else if (kind == auth::CredentialKind::Basic || kind == auth::CredentialKind::Digest)
        label = tr("&Password");
    else if (!m_scheme.bearerFormat.isEmpty())
        label = tr("&Token (%1)").arg(m_scheme.bearerFormat);
    QLineEdit *secret = addLine(form, QStringLiteral("secret"), label, true);
    secret->setPlaceholderText(stored ? tr("stored in the keychain; type to replace") : QString());
}

void SchemeSetupDialog::buildOAuthForm(QFormLayout *form)
{
    m_flow = new QComboBox(this);
    m_flow->setAccessibleName(tr("Flow"));
    for (OAuthFlowKind flow : allOAuthFlows()) {
        const bool declared = std::any_of(m_scheme.flows.cbegin(), m_scheme.flows.cend(),
                                          [flow](const OAuthFlow &f) { return f.kind == flow; });
        if (declared || m_scheme.type == SecuritySchemeType::OpenIdConnect)
            m_flow->addItem(flowTitle(flow), int(flow));
    }
    form->addRow(tr("&Flow"), m_flow);

    auto *discoveryRow = new QWidget(this);
    auto *discovery = new QLineEdit(discoveryRow);
    discovery->setObjectName(QStringLiteral("discoveryUrl"));
    discovery->setAccessibleName(tr("Discovery URL"));
    discovery->setPlaceholderText(tr("OpenID Connect issuer or .well-known URL (optional)"));
    m_discover = new QPushButton(tr("Discover"), discoveryRow);
    m_discover->setToolTip(tr("Fill the endpoints and scopes from the provider's metadata"));
    auto *discoveryLayout = new QHBoxLayout(discoveryRow);
    discoveryLayout->setContentsMargins(0, 0, 0, 0);
    discoveryLayout->addWidget(discovery, 1);
    discoveryLayout->addWidget(m_discover);
    form->addRow(tr("&Discovery"), discoveryRow);
    addLine(form, QStringLiteral("authorizationUrl"), tr("&Authorization URL"));
    addLine(form, QStringLiteral("tokenUrl"), tr("&Token URL"));
    addLine(form, QStringLiteral("deviceAuthorizationUrl"), tr("De&vice URL"));

    m_scopes = new QTreeWidget(this);
    m_scopes->setHeaderLabels({tr("Scope"), tr("Description")});
    m_scopes->setRootIsDecorated(false);
    m_scopes->setAccessibleName(tr("Scopes"));
    m_scopes->setMinimumHeight(130);
    m_scopes->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    form->addRow(tr("Scopes"), m_scopes);

    QLineEdit *clientId = addLine(form, QStringLiteral("clientId"), tr("&Client ID"));
    addLine(form, QStringLiteral("clientSecret"), tr("Client &secret"), true)
        ->setPlaceholderText(tr("only for confidential clients; kept in the keychain"));
    m_authMethod = new QComboBox(this);
    m_authMethod->setAccessibleName(tr("Client authentication"));
    m_authMethod->addItems(auth::clientAuthMethodNames());
    m_authMethod->setCurrentText(QStringLiteral("none"));
    form->addRow(tr("Client a&uthentication"), m_authMethod);
    addLine(form, QStringLiteral("privateKeyPath"), tr("Private &key (PEM)"))
        ->setPlaceholderText(tr("file path, for private_key_jwt and tls_client_auth"));
    addLine(form, QStringLiteral("clientCertificatePath"), tr("Client &certificate (PEM)"))
        ->setPlaceholderText(tr("file path, for tls_client_auth; empty = in the key file"));
    m_pkce = new QCheckBox(tr("Use PKCE (S256)"), this);
    m_pkce->setChecked(true);
    form->addRow(QString(), m_pkce);
    QLineEdit *redirect = addLine(form, QStringLiteral("redirectUri"), tr("&Redirect URI"));
    redirect->setPlaceholderText(tr("automatic: http://127.0.0.1:<free port>/callback"));
    m_systemBrowser = new QCheckBox(tr("Use the system browser (loopback redirect, RFC 8252)"), this);
    form->addRow(QString(), m_systemBrowser);
    m_keepSignIn = new QCheckBox(tr("Remember the provider's sign-in (single sign-on)"), this);
    m_keepSignIn->setToolTip(tr("Keeps the embedded browser's cookies for this provider; otherwise every login starts afresh"));
    form->addRow(QString(), m_keepSignIn);
    addLine(form, QStringLiteral("username"), tr("&User"));
    addLine(form, QStringLiteral("password"), tr("&Password"), true);
    m_authorizationParameters = new QPlainTextEdit(this);
    m_authorizationParameters->setPlaceholderText(tr("name=value per line, e.g. prompt=consent, audience=…"));
    m_authorizationParameters->setAccessibleName(tr("Extra authorization parameters"));
    m_authorizationParameters->setMaximumHeight(52);
    form->addRow(tr("Extra authorization\nparameters"), m_authorizationParameters);
    m_tokenParameters = new QPlainTextEdit(this);
    m_tokenParameters->setPlaceholderText(tr("name=value per line, e.g. resource=https://api.example"));
    m_tokenParameters->setAccessibleName(tr("Extra token parameters"));
    m_tokenParameters->setMaximumHeight(52);
    form->addRow(tr("Extra token\nparameters"), m_tokenParameters);
    m_secretTokenParameters = new QCheckBox(tr("Keep the extra token parameters in the keychain"), this);
    m_secretTokenParameters->setToolTip(tr("Parameters named like secrets (client_assertion, password, …) always are"));
    form->addRow(QString(), m_secretTokenParameters);
    m_dpop = new QCheckBox(tr("Bind tokens with DPoP (RFC 9449)"), this);
    form->addRow(QString(), m_dpop);
    m_allowedHttpHosts = new QLineEdit(this);
    m_allowedHttpHosts->setPlaceholderText(tr("host names, comma-separated (test servers only)"));
    m_allowedHttpHosts->setAccessibleName(tr("Hosts allowed over plain http"));
    m_allowedHttpHosts->setToolTip(tr("Authorization, token, discovery and key endpoints over plain http are refused "
                                      "except on loopback or on these hosts"));
    form->addRow(tr("Allow plain &http to"), m_allowedHttpHosts);

    prefillPresetDefaults();
    prefillRemembered(clientId);

    connect(m_flow, &QComboBox::currentIndexChanged, this, [this] {
        prefillFlow();
        updateFlowRows();
    });
    connect(m_discover, &QPushButton::clicked, this, &SchemeSetupDialog::discover);
    connect(m_authMethod, &QComboBox::currentIndexChanged, this, &SchemeSetupDialog::updateFlowRows);
    prefillFlow();
    updateFlowRows();
    if (m_scheme.type == SecuritySchemeType::OpenIdConnect)
        QTimer::singleShot(0, this, &SchemeSetupDialog::discover);  // once the caller has connected to `discovered`
}

void SchemeSetupDialog::prefillPresetDefaults()
{
    // What the provider expects, shown in the form; what was remembered from the last login comes over it.
    if (m_defaults.clientAuthentication == QLatin1String("client_secret_basic")
        || m_defaults.clientAuthentication == QLatin1String("client_secret_post"))
        m_authMethod->setCurrentText(m_defaults.clientAuthentication);
    if (!m_defaults.pkce.isEmpty())
        m_pkce->setChecked(m_defaults.pkce != QLatin1String("none"));
    field(QStringLiteral("redirectUri"))->setText(m_defaults.redirectUri.toString());
    if (m_defaults.redirectRule == QLatin1String("exact"))
        field(QStringLiteral("redirectUri"))->setToolTip(tr("The provider wants the redirect URI exactly as registered"));
    field(QStringLiteral("discoveryUrl"))->setText(m_defaults.discoveryUrl.toString());
}

void SchemeSetupDialog::prefillRemembered(QLineEdit *clientId)
{
    // What was used last time for this scheme, in either program (never a secret).
    if (!m_core->loginMemory().contains(api(), m_scheme.name))
        return;
    const client::LoginInput last = m_core->loginMemory().recall(api(), m_scheme.name);
    clientId->setText(last.clientId);
    if (!last.authMethod.isEmpty())
        m_authMethod->setCurrentText(last.authMethod);
    field(QStringLiteral("redirectUri"))->setText(last.redirectUri);
    field(QStringLiteral("privateKeyPath"))->setText(last.privateKeyPath);
    field(QStringLiteral("clientCertificatePath"))->setText(last.clientCertificatePath);
    if (!last.discoveryUrl.isEmpty())
        field(QStringLiteral("discoveryUrl"))->setText(last.discoveryUrl);
    m_pkce->setChecked(!last.pkceMethod.isEmpty());
    m_dpop->setChecked(last.dpop);
    const auto text = [](const auth::Parameters &parameters) {
        QStringList lines;
        for (const auto &[name, value] : parameters)
            lines << name + QLatin1Char('=') + value;
        return lines.join(QLatin1Char('\n'));
    };
    m_authorizationParameters->setPlainText(text(last.authorizationParameters));
    m_tokenParameters->setPlainText(text(last.tokenParameters));
}

OAuthFlowKind SchemeSetupDialog::currentFlow() const
{
    return m_flow ? OAuthFlowKind(m_flow->currentData().toInt()) : OAuthFlowKind::AuthorizationCode;
}

void SchemeSetupDialog::setFlow(OAuthFlowKind flow)
{
    const int index = m_flow ? m_flow->findData(int(flow)) : -1;
    if (index >= 0)
        m_flow->setCurrentIndex(index);
}

QStringList SchemeSetupDialog::requiredScopes() const
{
    // Scopes the document's requirements ask of this scheme: checked by default.
    QStringList scopes;
    const auto collect = [&](const SecurityRequirement &requirement) {
        for (const SecurityAlternative &alternative : requirement)
            for (const SchemeUse &use : alternative)
                if (use.scheme == m_scheme.name)
                    for (const QString &scope : use.scopes)
                        if (!scopes.contains(scope))
                            scopes << scope;
    };
    if (m_document->globalSecurity)
        collect(*m_document->globalSecurity);
    for (const Operation &operation : m_document->operations)
        if (operation.security)
            collect(*operation.security);
    return scopes;
}

void SchemeSetupDialog::setScopes(const QList<std::pair<QString, QString>> &scopes)
{
    // First time: what the document's operations require, openid, and what the last login of this scheme got.
    QStringList checked = checkedScopes();
    if (m_scopes->topLevelItemCount() == 0) {
        checked = requiredScopes() << QStringLiteral("openid");
        checked += m_core->loginMemory().recall(api(), m_scheme.name).scopes;
    }
    m_scopes->clear();
    for (const auto &scope : scopes) {
        auto *item = new QTreeWidgetItem(m_scopes, {scope.first, scope.second});
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, checked.contains(scope.first) ? Qt::Checked : Qt::Unchecked);
    }
}

void SchemeSetupDialog::setScopeChecked(const QString &scope, bool checked)
{
    for (int i = 0; i < m_scopes->topLevelItemCount(); ++i)
        if (m_scopes->topLevelItem(i)->text(0) == scope)
            m_scopes->topLevelItem(i)->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
}

QStringList SchemeSetupDialog::checkedScopes() const
{
    QStringList scopes;
    for (int i = 0; m_scopes && i < m_scopes->topLevelItemCount(); ++i)
        if (m_scopes->topLevelItem(i)->checkState(0) == Qt::Checked)
            scopes << m_scopes->topLevelItem(i)->text(0);
    return scopes;
}

void SchemeSetupDialog::prefillFlow()
{
    if (m_scheme.type == SecuritySchemeType::OpenIdConnect) {
        field(QStringLiteral("discoveryUrl"))->setText(m_scheme.openIdConnectUrl);
        return;
    }
    auth::LoginSettings settings;
    QString error;
    if (!client::flowDefaults(*m_document, m_scheme, currentFlow(), &settings, &error)) {
        setStatus(error, true);
        return;
    }
    field(QStringLiteral("authorizationUrl"))->setText(settings.authorizationUrl.toString());
    field(QStringLiteral("tokenUrl"))->setText(settings.tokenUrl.toString());
    field(QStringLiteral("deviceAuthorizationUrl"))->setText(settings.deviceAuthorizationUrl.toString());
    for (const OAuthFlow &flow : m_scheme.flows)
        if (flow.kind == currentFlow())
            setScopes(flow.scopes);
}

void SchemeSetupDialog::updateFlowRows()
{
    const OAuthFlowKind flow = currentFlow();
    const bool browser = flow == OAuthFlowKind::AuthorizationCode || flow == OAuthFlowKind::Implicit;
    const auto show = [this](QWidget *widget, bool visible) { m_form->setRowVisible(widget, visible); };
    show(field(QStringLiteral("authorizationUrl")), browser);
    show(field(QStringLiteral("deviceAuthorizationUrl")), flow == OAuthFlowKind::DeviceAuthorization);
    show(field(QStringLiteral("tokenUrl")), flow != OAuthFlowKind::Implicit);
    show(m_pkce, flow == OAuthFlowKind::AuthorizationCode);
    show(field(QStringLiteral("redirectUri")), browser);
    show(m_systemBrowser, browser);
    show(m_keepSignIn, browser);
    show(field(QStringLiteral("username")), flow == OAuthFlowKind::Password);
    show(field(QStringLiteral("password")), flow == OAuthFlowKind::Password);
    show(m_authorizationParameters, browser);
    const QString method = m_authMethod->currentText();
    show(field(QStringLiteral("privateKeyPath")), method == QLatin1String("private_key_jwt") || method == QLatin1String("tls_client_auth"));
    show(field(QStringLiteral("clientCertificatePath")), method == QLatin1String("tls_client_auth"));
    show(field(QStringLiteral("clientSecret")), method.startsWith(QLatin1String("client_secret")));
    adjustSize();
}

void SchemeSetupDialog::discover()
{
    const QString text = field(QStringLiteral("discoveryUrl"))->text().trimmed();
    if (text.isEmpty()) {
        setStatus(tr("Enter the provider's issuer or discovery URL first."), true);
        return;
    }
    const QUrl url = client::resolveSecurityUrl(*m_document, text);
    setStatus(tr("Reading %1 …").arg(url.toString()), false);
    m_discover->setEnabled(false);
    QPointer<SchemeSetupDialog> self(this);
    m_core->discovery()->discover(url, [self](const auth::ProviderMetadata &metadata, const QString &error) {
        if (!self)
            return;
        self->m_discover->setEnabled(true);
        if (!error.isEmpty()) {
            self->setStatus(tr("Discovery failed: %1").arg(error), true);
            Q_EMIT self->discovered(false);
            return;
        }
        self->field(QStringLiteral("authorizationUrl"))->setText(metadata.authorizationEndpoint.toString());
        self->field(QStringLiteral("tokenUrl"))->setText(metadata.tokenEndpoint.toString());
        self->field(QStringLiteral("deviceAuthorizationUrl"))->setText(metadata.deviceAuthorizationEndpoint.toString());
        QList<std::pair<QString, QString>> scopes;
        for (const QString &scope : metadata.scopesSupported)
            scopes.append({scope, QString()});
        // The document's descriptions are better than none.
        for (const OAuthFlow &flow : self->m_scheme.flows)
            for (const auto &described : flow.scopes)
                for (auto &scope : scopes)
                    if (scope.first == described.first)
                        scope.second = described.second;
        if (!scopes.isEmpty())
            self->setScopes(scopes);
        if (!metadata.tokenEndpointAuthMethodsSupported.isEmpty())
            self->m_authMethod->setToolTip(tr("The provider accepts: %1")
                                               .arg(metadata.tokenEndpointAuthMethodsSupported.join(QStringLiteral(", "))));
        self->setStatus(tr("Endpoints and scopes read from %1.").arg(metadata.issuer), false);
        Q_EMIT self->discovered(true);
    });
}

client::LoginInput SchemeSetupDialog::loginInput(QString *error) const
{
    client::LoginInput input;
    if (!isOAuth()) {
        const QByteArray secret = field(QStringLiteral("secret"))->text().toUtf8();
        if (QLineEdit *user = field(QStringLiteral("username")))
            input.username = user->text();
        input.password = secret;  // basic, digest
        input.secret = secret;    // apiKey, bearer
        return input;
    }
    input.flow = oauthFlowName(currentFlow());
    const auto text = [this](const char *name) { return field(QString::fromLatin1(name))->text().trimmed(); };
    input.discoveryUrl = text("discoveryUrl");
    input.authorizationUrl = text("authorizationUrl");
    input.tokenUrl = text("tokenUrl");
    input.deviceAuthorizationUrl = text("deviceAuthorizationUrl");
    input.redirectUri = text("redirectUri");
    input.scopes = checkedScopes();
    input.pkceMethod = m_pkce->isChecked() ? QStringLiteral("S256") : QString();
    input.dpop = m_dpop->isChecked();
    input.clientId = text("clientId");
    input.authMethod = m_authMethod->currentText();
    if (input.authMethod.startsWith(QLatin1String("client_secret")))
        input.clientSecret = field(QStringLiteral("clientSecret"))->text().toUtf8();
    if (input.authMethod == QLatin1String("private_key_jwt") || input.authMethod == QLatin1String("tls_client_auth"))
        input.privateKeyPath = text("privateKeyPath");
    if (input.authMethod == QLatin1String("tls_client_auth"))
        input.clientCertificatePath = text("clientCertificatePath");
    if (currentFlow() == OAuthFlowKind::Password) {
        input.username = field(QStringLiteral("username"))->text();
        input.password = field(QStringLiteral("password"))->text().toUtf8();
    }
    QString parameterError;
    input.authorizationParameters = parseParameters(m_authorizationParameters->toPlainText(), &parameterError);
    if (parameterError.isEmpty())
        input.tokenParameters = parseParameters(m_tokenParameters->toPlainText(), &parameterError);
    if (m_secretTokenParameters->isChecked())
        for (const auto &parameter : std::as_const(input.tokenParameters))
            input.secretTokenParameters.append(parameter.first);
    for (const QString &host : m_allowedHttpHosts->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        input.allowedHttpHosts.append(host.trimmed());
    if (!parameterError.isEmpty())
        *error = tr("Extra parameters, %1").arg(parameterError);
    return input;
}

void SchemeSetupDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette palette = this->palette();
    palette.setColor(QPalette::WindowText, toneText(error ? Tone::Error : Tone::Muted, palette));
    m_status->setPalette(palette);
    QFont font = m_status->font();
    font.setBold(error);
    m_status->setFont(font);
    m_status->setVisible(!text.isEmpty());
}

void SchemeSetupDialog::setBusy(bool busy)
{
    m_submit->setEnabled(!busy);
    if (m_discover)
        m_discover->setEnabled(!busy);
}

void SchemeSetupDialog::submit()
{
    QString error;
    const client::LoginInput input = loginInput(&error);
    if (!error.isEmpty()) {
        setStatus(error, true);
        return;
    }
    start(input);
}

void SchemeSetupDialog::start(const client::LoginInput &typed)
{
    // The preset's suggestions under what the form says, as portolan-cli login applies them.
    client::LoginInput input = typed;
    client::applyLoginDefaults(m_defaults, &input, /*pkceGiven: the form's check box*/ true);
    client::LoginPlan plan = client::planLogin(*m_document, m_scheme, input);
    if (plan.status == client::LoginPlan::Status::NeedsPassphrase) {
        // The login goes on when the user answers.
        askPassphrase(this, tr("Private key passphrase"), plan.error, [this, input](const QByteArray &passphrase) {
            client::LoginInput withPassphrase = input;
            withPassphrase.privateKeyPassphrase = passphrase;
            start(withPassphrase);
        });
        return;
    }
    if (!plan.ready()) {
        setStatus(plan.error, true);
        return;
    }
    m_submitted = typed;
    setBusy(true);
    if (!plan.oauth) {
        field(QStringLiteral("secret"))->clear();  // the value now lives in the keychain only
        QPointer<SchemeSetupDialog> self(this);
        m_core->saveCredential(plan.info, plan.secrets, [self](const auth::StoreResult &stored, const auth::CredentialInfo &saved) {
            if (self)
                self->onLoginFinished(stored.ok || stored.sessionOnly, stored.error, saved.id);
        });
        return;
    }
    if (!m_driver) {
        m_driver = new LoginDriver(m_core, this);
        connect(m_driver, &LoginDriver::progress, this, [this](const QString &message) { setStatus(message, false); });
        connect(m_driver, &LoginDriver::finished, this, &SchemeSetupDialog::onLoginFinished);
    }
    setStatus(tr("Logging in…"), false);
    m_defaults.applyTo(&plan.settings);
    m_trace->hide();  // until this login is refused
    BrowserLoginOptions browser;
    if (m_keepSignIn->isChecked()) {
        // One profile per provider host, shared by the schemes that use it.
        const QUrl provider = plan.settings.authorizationUrl.isEmpty() ? plan.settings.discoveryUrl : plan.settings.authorizationUrl;
        browser.persistentProfile = provider.host() + QLatin1Char('-') + QString::number(provider.port(80));
    }
    m_driver->start(plan.settings, {m_document, m_scheme, {}}, m_systemBrowser->isChecked(), this, browser);
}

void SchemeSetupDialog::onLoginFinished(bool ok, const QString &message, const QString &credentialId)
{
    setBusy(false);
    if (!ok) {
        setStatus(message, true);  // the provider's error, in place; the form keeps what was typed
        m_trace->setVisible(m_driver && !m_driver->trace()->exchanges().isEmpty());
        Q_EMIT setupFinished(false, message);
        return;
    }
    QString memoryError;
    if (!m_core->loginMemory().remember(api(), m_scheme.name, m_submitted, &memoryError))
        qWarning("%s", qPrintable(memoryError));
    const auth::CredentialInfo info = m_core->store()->info(credentialId);
    QString text = info.sessionOnly ? tr("Stored in memory only: %1").arg(message) : tr("Stored in the keychain.");
    setStatus(text, info.sessionOnly);
    Q_EMIT setupFinished(true, text);
    accept();
}

} // namespace portolan::gui
