#include "requestbodyeditor.h"

#include "apimodel.h"
#include "jsonhighlighter.h"
#include "examplegenerator.h"

#include <QComboBox>
#include <QJsonObject>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace portolan::gui {

RequestBodyEditor::RequestBodyEditor(QWidget *parent)
    : QWidget(parent), m_contentType(new QComboBox(this)), m_description(new QLabel(this)),
      m_reset(new QPushButton(tr("Reset to example"), this)), m_text(new QPlainTextEdit(this))
{
    m_contentType->setAccessibleName(tr("Request content type"));
    m_reset->setAccessibleName(tr("Replace the body with the generated example"));
    m_text->setAccessibleName(tr("Request body"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setTabStopDistance(m_text->fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
    m_text->setMinimumHeight(160);
    new JsonHighlighter(m_text->document(), JsonHighlighter::Variables::Marked);
    m_description->setWordWrap(true);

    connect(m_contentType, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        showExample();
        Q_EMIT edited();
    });
    connect(m_reset, &QPushButton::clicked, this, [this] {
        showExample();
        Q_EMIT edited();
    });
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    auto *typeLabel = new QLabel(tr("Content type:"), this);
    typeLabel->setBuddy(m_contentType);
    bar->addWidget(typeLabel);
    bar->addWidget(m_contentType);
    bar->addStretch();
    bar->addWidget(m_reset);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_description);
    layout->addLayout(bar);
    layout->addWidget(m_text, 1);
}

namespace {

bool isJsonMediaType(const QString &contentType)
{
    const QString type = contentType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    return type == QLatin1String("application/json") || type.endsWith(QLatin1String("+json"));
}

QString formText(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return value.toString();
}

// The text the editor starts with: the HTTP engine's example (the document's
// own, else one built from the schema) in the schema's member order.
QString exampleText(const MediaType &media, const ApiDocument &document)
{
    const http::ExampleValue value = http::ExampleGenerator(document).forMediaType(media);
    if (value.isUndefined())
        return {};
    if (isJsonMediaType(media.contentType))
        return QString::fromUtf8(value.toText()).trimmed();
    if (media.contentType.startsWith(QLatin1String("application/x-www-form-urlencoded")) && value.isObject()) {
        const QJsonObject members = value.toJson().toObject();
        QStringList pairs;
        for (const QString &key : value.keys())
            pairs.push_back(key + QLatin1Char('=') + formText(members.value(key)));
        return pairs.join(QLatin1Char('&'));
    }
    const QJsonValue scalar = value.toJson();
    return scalar.isString() ? scalar.toString() : QString();
}

} // namespace

void RequestBodyEditor::setRequestBody(const RequestBody &body, const ApiDocument &document)
{
    m_loading = true;
    m_body = &body;
    m_document = &document;
    m_contentType->clear();
    for (const MediaType &media : body.content)
        m_contentType->addItem(media.contentType);
    QString description = body.description;
    if (body.required)
        description = description.isEmpty() ? tr("Required.") : description + tr(" (required)");
    m_description->setText(description);
    m_description->setVisible(!description.isEmpty());
    m_loading = false;
    showExample();
}

void RequestBodyEditor::showExample()
{
    const int index = m_contentType->currentIndex();
    if (!m_body || index < 0 || index >= m_body->content.size())
        return;
    const bool wasLoading = m_loading;
    m_loading = true;
    m_text->setPlainText(exampleText(m_body->content[index], *m_document));
    m_loading = wasLoading;
}

void RequestBodyEditor::clear()
{
    m_loading = true;
    m_body = nullptr;
    m_document = nullptr;
    m_contentType->clear();
    m_text->clear();
    m_loading = false;
}

QString RequestBodyEditor::contentType() const
{
    return m_contentType->currentText();
}

void RequestBodyEditor::setContent(const QString &contentType, const QString &text)
{
    m_loading = true;
    const int index = m_contentType->findText(contentType);
    if (index >= 0)
        m_contentType->setCurrentIndex(index);
    m_loading = false;
    if (text.isEmpty()) {
        showExample();
    } else {
        m_loading = true;
        m_text->setPlainText(text);
        m_loading = false;
    }
}

QString RequestBodyEditor::text() const
{
    return m_text->toPlainText();
}

} // namespace portolan::gui
