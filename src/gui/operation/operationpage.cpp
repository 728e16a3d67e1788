#include "operationpage.h"

#include "apimodel.h"
#include "parameterfield.h"
#include "parameterform.h"
#include "requestbodyeditor.h"
#include "requestline.h"
#include "responsesview.h"
#include "securityrequirementview.h"
#include "serverpicker.h"
#include "themecolors.h"
#include "clientcore.h"
#include "requirementstatusview.h"

#include <QAbstractTextDocumentLayout>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace portolan::gui {

namespace {
// Header names whose values are credentials whatever the document says.
bool isCredentialHeader(const QString &name)
{
    const QString lower = name.toLower();
    return lower == QLatin1String("authorization") || lower == QLatin1String("proxy-authorization")
        || lower == QLatin1String("cookie");
}

// Keys of the parameters whose values are credentials: those an apiKey
// scheme of the document uses, and the standard credential headers.
QSet<QString> sensitiveKeys(const ApiDocument &document, const QList<Parameter> &parameters)
{
    QSet<QString> keys;
    for (const Parameter &parameter : parameters) {
        if (parameter.in == ParameterLocation::Header && isCredentialHeader(parameter.name))
            keys.insert(ParameterForm::key(parameter));
        for (const SecurityScheme &scheme : document.securitySchemes) {
            if (scheme.type == SecuritySchemeType::ApiKey && scheme.in == parameterLocationName(parameter.in)
                && scheme.parameterName.compare(parameter.name, Qt::CaseInsensitive) == 0)
                keys.insert(ParameterForm::key(parameter));
        }
    }
    return keys;
}
} // namespace

OperationPage::OperationPage(client::ClientCore *core, QWidget *parent)
    : QWidget(parent), m_requestLine(new RequestLine(this)), m_path(new QLabel(this)), m_badges(new QLabel(this)),
      m_summary(new QLabel(this)), m_description(new QTextBrowser(this)), m_servers(new ServerPicker(this)),
      m_environmentBox(new QComboBox(this)),
      m_security(new SecurityRequirementView(this)), m_noParameters(new QLabel(tr("No parameters."), this)),
      m_parameters(new ParameterForm(this)), m_body(new RequestBodyEditor(this)),
      m_responses(new ResponsesView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 14, 18, 18);
    layout->setSpacing(6);

    layout->addWidget(m_requestLine);
    layout->addSpacing(6);

    QFont pathFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    pathFont.setPointSizeF(font().pointSizeF() * 1.25);
    pathFont.setBold(true);
    m_path->setFont(pathFont);
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_path->setWordWrap(true);
    m_path->setAccessibleName(tr("Path"));
    m_badges->setTextFormat(Qt::RichText);
    auto *header = new QHBoxLayout;
    header->setSpacing(10);
    header->addWidget(m_path, 1);
    header->addWidget(m_badges);
    layout->addLayout(header);

    QFont summaryFont = font();
    summaryFont.setPointSizeF(font().pointSizeF() * 1.15);
    m_summary->setFont(summaryFont);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("Summary"));
    layout->addWidget(m_summary);

    // The description sizes itself to its text; the page scrolls as a whole.
    m_description->setFrameShape(QFrame::NoFrame);
    m_description->setOpenExternalLinks(true);
    m_description->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_description->setAccessibleName(tr("Description"));
    m_description->viewport()->setAutoFillBackground(false);
    m_description->setStyleSheet(QStringLiteral("QTextBrowser { background: transparent; }"));
    connect(m_description->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            [this](const QSizeF &size) { m_description->setFixedHeight(int(size.height()) + 4); });
    layout->addWidget(m_description);

    addSection(tr("Server"));
    layout->addWidget(m_servers);
    // {{name}} in the URL, headers and body is replaced from the chosen environment when sending.
    auto *environmentRow = new QHBoxLayout;
    auto *environmentLabel = new QLabel(tr("&Environment:"), this);
    environmentLabel->setBuddy(m_environmentBox);
    m_environmentBox->setAccessibleName(tr("Environment"));
    m_environmentBox->setToolTip(tr("Values for {{name}} variables in the URL, headers and body"));
    environmentRow->addWidget(environmentLabel);
    environmentRow->addWidget(m_environmentBox);
    environmentRow->addStretch(1);
    layout->addLayout(environmentRow);
    setEnvironments({});
    addSection(tr("Security"));
    layout->addWidget(m_security);
    // Which alternative the stored credentials satisfy now (the auth engine decides).
    m_securityStatus = new RequirementStatusView(core, this);
    layout->addWidget(m_securityStatus);
    connect(m_securityStatus, &RequirementStatusView::setUpRequested, this, &OperationPage::securitySchemeActivated);
    addSection(tr("Parameters"));
    layout->addWidget(m_noParameters);
    layout->addWidget(m_parameters);
    m_bodyHeading = addSection(tr("Request body"), &m_bodyRule);
    layout->addWidget(m_body);
    addSection(tr("Responses"));
    layout->addWidget(m_responses, 1);

    connect(m_parameters, &ParameterForm::edited, this, &OperationPage::inputEdited);
    connect(m_body, &RequestBodyEditor::edited, this, &OperationPage::inputEdited);
    connect(m_servers, &ServerPicker::changed, this, &OperationPage::serverChanged);
    connect(m_environmentBox, &QComboBox::currentIndexChanged, this, &OperationPage::environmentChanged);
    // The URL follows everything it is made of; the body is not part of it.
    connect(m_parameters, &ParameterForm::edited, this, &OperationPage::updateRequestLine);
    connect(m_servers, &ServerPicker::changed, this, &OperationPage::updateRequestLine);
    connect(m_environmentBox, &QComboBox::currentIndexChanged, this, &OperationPage::updateRequestLine);
    connect(m_security, &SecurityRequirementView::schemeActivated, this, &OperationPage::securitySchemeActivated);
}

void OperationPage::setEnvironments(const QList<http::Environment> &environments)
{
    const QString chosen = m_environmentBox->currentIndex() > 0 ? m_environmentBox->currentText() : QString();
    const QSignalBlocker blocker(m_environmentBox);
    m_environments = environments;
    m_environmentBox->clear();
    m_environmentBox->addItem(tr("No environment"));
    for (const http::Environment &environment : environments)
        m_environmentBox->addItem(environment.name);
    selectEnvironment(chosen);
    updateRequestLine();  // the variables may have changed with the list
}

void OperationPage::selectEnvironment(const QString &name)
{
    int index = 0;
    for (int i = 0; i < m_environments.size() && !name.isEmpty(); ++i) {
        if (m_environments[i].name == name)
            index = i + 1;
    }
    m_environmentBox->setCurrentIndex(index);
}

const http::Environment *OperationPage::environment() const
{
    const int index = m_environmentBox->currentIndex() - 1;
    return index >= 0 && index < m_environments.size() ? &m_environments[index] : nullptr;
}

QLabel *OperationPage::addSection(const QString &title, QFrame **ruleOut)
{
    auto *heading = new QLabel(title, this);
    QFont font = heading->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    heading->setFont(font);
    heading->setContentsMargins(0, 12, 0, 2);
    auto *rule = new QFrame(this);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Sunken);
    auto *layout = static_cast<QVBoxLayout *>(this->layout());
    layout->addWidget(heading);
    layout->addWidget(rule);
    if (ruleOut)
        *ruleOut = rule;
    return heading;
}

void OperationPage::showOperation(const ApiDocument &document, const ReferenceResolver &resolver,
                                  const Operation &operation, const OperationInput &input)
{
    m_document = &document;
    m_operation = &operation;
    m_details = operationDetails(document, operation);
    m_requestLine->setMethod(operation.method);
    m_path->setText(operation.path());
    applyBadgeColors();
    m_summary->setText(operation.summary);
    m_summary->setVisible(!operation.summary.isEmpty());
    m_description->document()->setMarkdown(m_details.description);
    m_description->setVisible(!m_details.description.isEmpty());

    m_servers->setServers(document.effectiveServers(operation));
    m_security->setRequirement(document, document.effectiveSecurity(operation), !operation.security.has_value(),
                               operation.securityFromUser);
    m_securityStatus->setRequirement(document, document.effectiveSecurity(operation));

    m_parameters->setParameters(m_details.parameters, resolver, sensitiveKeys(document, m_details.parameters));
    m_parameters->setValues(input.parameters);
    m_noParameters->setVisible(m_parameters->isEmpty());

    const bool hasBody = m_details.requestBody.has_value() && !m_details.requestBody->content.isEmpty();
    m_bodyHeading->setVisible(hasBody);
    m_bodyRule->setVisible(hasBody);
    m_body->setVisible(hasBody);
    if (hasBody) {
        m_body->setRequestBody(*m_details.requestBody, document);
        m_body->setContent(input.contentType, input.body);
    }
    m_responses->setResponses(m_details.responses, resolver);
    updateRequestLine();
}

void OperationPage::applyBadgeColors()
{
    if (!m_operation)
        return;
    auto badge = [](const QColor &fill, const QString &text) {
        return QStringLiteral("<span style=\"background:%1;color:%2\">&nbsp;%3&nbsp;</span>")
            .arg(cssColor(badgeFill(fill)), cssColor(badgeText()), text);
    };
    QStringList badges;
    if (m_operation->deprecated)
        badges << badge(QColor(0xb7, 0x1c, 0x1c), tr("DEPRECATED"));
    if (m_operation->isWebhook)
        badges << badge(QColor(0x45, 0x5a, 0x64), tr("WEBHOOK"));
    if (!m_operation->operationIdText.empty())
        badges << QStringLiteral("<span style=\"color:%1\">%2</span>")
                      .arg(cssColor(toneText(Tone::Muted, palette())), m_operation->operationId().toHtmlEscaped());
    m_badges->setText(badges.join(QStringLiteral("&nbsp;&nbsp;")));
}

void OperationPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        applyBadgeColors();
        // The requirement's colours and links are baked into rich text; drawn again once the
        // children have the new palette too (they get it after this page).
        QTimer::singleShot(0, this, [this] {
            if (m_document && m_operation)
                m_security->setRequirement(*m_document, m_document->effectiveSecurity(*m_operation),
                                           !m_operation->security.has_value(), m_operation->securityFromUser);
        });
    }
}

void OperationPage::updateRequestLine()
{
    if (!m_document || !m_operation) {
        m_requestLine->setUrl(QString());
        return;
    }
    m_requestLine->setUrl(client::previewUrl(*m_document, *m_operation, m_details, requestInput()));
}

void OperationPage::setSendAction(QAction *action)
{
    m_requestLine->setSendAction(action);
}

void OperationPage::clear()
{
    m_operation = nullptr;
    m_details = {};
    m_document = nullptr;
    m_requestLine->setMethod(QString());
    m_requestLine->setUrl(QString());
    m_securityStatus->clear();
    m_parameters->clear();
    m_body->clear();
    m_responses->clear();
    m_servers->setServers({});
}

void OperationPage::setChosenCredentials(const QHash<QString, QString> &chosen)
{
    m_securityStatus->setChosenCredentials(chosen);
}

client::RequestInput OperationPage::requestInput() const
{
    client::RequestInput input;
    if (!m_operation)
        return input;
    input.server = m_servers->currentTemplate();
    input.serverVariables = m_servers->currentVariables();
    const QHash<QString, QString> values = m_parameters->values();
    for (const Parameter &parameter : m_details.parameters)
        input.parameters.append({parameter.in, parameter.name, values.value(ParameterForm::key(parameter))});
    if (m_details.requestBody) {
        const QString text = m_body->text();
        if (!text.isEmpty() || m_details.requestBody->required)
            input.body = client::bodyFromText(m_body->contentType(), text);
    }
    if (const http::Environment *chosen = environment())
        input.environment = *chosen;
    return input;
}

OperationInput OperationPage::input() const
{
    OperationInput input;
    if (!m_operation)
        return input;
    // Keep only what differs from the defaults, so that a later fix of the
    // document's defaults shows through.
    const QHash<QString, QString> values = m_parameters->persistentValues();
    for (auto it = values.begin(); it != values.end(); ++it) {
        const ParameterField *field = m_parameters->field(it.key());
        if (field && field->schema().defaultValue != it.value())
            input.parameters.insert(it.key(), it.value());
    }
    if (m_body->isVisibleTo(this)) {
        input.contentType = m_body->contentType();
        input.body = m_body->text();
    }
    return input;
}

} // namespace portolan::gui
