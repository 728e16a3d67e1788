#include "parameterform.h"
#include "themecolors.h"

#include "apimodel.h"
#include "parameterfield.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>

namespace portolan::gui {

namespace {
constexpr ParameterLocation kLocationOrder[] = {ParameterLocation::Path, ParameterLocation::Query,
                                                ParameterLocation::QueryString, ParameterLocation::Header,
                                                ParameterLocation::Cookie, ParameterLocation::FormData};

QString locationTitle(ParameterLocation location)
{
    switch (location) {
    case ParameterLocation::Path:
        return ParameterForm::tr("Path parameters");
    case ParameterLocation::Query:
        return ParameterForm::tr("Query parameters");
    case ParameterLocation::QueryString:
        return ParameterForm::tr("Query string");
    case ParameterLocation::Header:
        return ParameterForm::tr("Headers");
    case ParameterLocation::Cookie:
        return ParameterForm::tr("Cookies");
    case ParameterLocation::FormData:
        return ParameterForm::tr("Form fields");
    }
    return {};
}
} // namespace

ParameterForm::ParameterForm(QWidget *parent) : QWidget(parent), m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(12);
    m_grid->setVerticalSpacing(2);
    m_grid->setColumnStretch(1, 1);
}

QString ParameterForm::key(const Parameter &parameter)
{
    return parameterLocationName(parameter.in) + QLatin1Char(':') + parameter.name;
}

void ParameterForm::clear()
{
    while (QLayoutItem *item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_fields.clear();
}

QString ParameterForm::labelText(const Row &row) const
{
    QString text = row.name.toHtmlEscaped();
    if (row.required)
        text += QStringLiteral(" <span style=\"color:%1\">*</span>").arg(cssColor(toneText(Tone::Error, palette())));
    return row.deprecated ? QStringLiteral("<s>%1</s>").arg(text) : text;
}

void ParameterForm::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange && event->type() != QEvent::ApplicationPaletteChange)
        return;
    for (const Row &row : std::as_const(m_fields)) {
        row.label->setText(labelText(row));
        updateMessage(row);
    }
}

void ParameterForm::setParameters(const QList<Parameter> &parameters, const ReferenceResolver &resolver,
                                  const QSet<QString> &sensitive)
{
    m_loading = true;
    clear();
    m_sensitive = sensitive;
    int gridRow = 0;
    for (ParameterLocation location : kLocationOrder) {
        bool headingAdded = false;
        for (const Parameter &parameter : parameters) {
            if (parameter.in != location)
                continue;
            if (!headingAdded) {
                auto *heading = new QLabel(locationTitle(location), this);
                QFont font = heading->font();
                font.setBold(true);
                heading->setFont(font);
                heading->setContentsMargins(0, gridRow == 0 ? 0 : 10, 0, 2);
                m_grid->addWidget(heading, gridRow++, 0, 1, 2);
                headingAdded = true;
            }
            const QString fieldKey = key(parameter);
            const client::FieldSchema schema = client::readFieldSchema(parameter.schema, resolver);

            auto *label = new QLabel(this);
            label->setTextFormat(Qt::RichText);
            label->setToolTip(parameter.required ? tr("Required") : QString());

            auto *field = new ParameterField(schema, parameter.required, this);
            field->setAccessibleFieldName(tr("Parameter %1 (%2)").arg(parameter.name, parameterLocationName(parameter.in)));
            label->setBuddy(field->editor());
            if (sensitive.contains(fieldKey)) {
                if (auto *line = qobject_cast<QLineEdit *>(field->editor())) {
                    line->setEchoMode(QLineEdit::PasswordEchoOnEdit);
                    line->setPlaceholderText(tr("credential — not saved"));
                }
            }

            QString hint = parameter.description.section(QLatin1Char('\n'), 0, 0);
            // How a list or an object is serialized matters to the user typing it; for scalars it is noise.
            if (!parameter.style.isEmpty()
                && (schema.type == QLatin1String("array") || schema.type == QLatin1String("object"))) {
                const QString style = parameter.collectionFormat.isEmpty()
                    ? QStringLiteral("style %1%2").arg(parameter.style, parameter.explode ? QStringLiteral(", exploded") : QString())
                    : QStringLiteral("collectionFormat %1").arg(parameter.collectionFormat);
                hint = hint.isEmpty() ? style : hint + QStringLiteral(" · ") + style;
            }
            auto *message = new QLabel(this);
            message->setWordWrap(true);
            message->setProperty("hint", hint);
            message->setAccessibleName(tr("Validation for %1").arg(parameter.name));

            m_grid->addWidget(label, gridRow, 0, Qt::AlignVCenter | Qt::AlignLeft);
            m_grid->addWidget(field, gridRow++, 1);
            m_grid->addWidget(message, gridRow++, 1);
            const Row row{fieldKey, field, message, label, parameter.name, parameter.required, parameter.deprecated};
            label->setText(labelText(row));
            m_fields.append(row);
            updateMessage(row);
            connect(field, &ParameterField::valueChanged, this, [this, row] {
                updateMessage(row);
                if (!m_loading)
                    Q_EMIT edited();
            });
        }
    }
    m_loading = false;
}

void ParameterForm::updateMessage(const Row &row)
{
    const QString problem = row.field->validationMessage();
    const QString hint = row.message->property("hint").toString();
    if (!problem.isEmpty()) {
        row.message->setText(QStringLiteral("<span style=\"color:%1\">⚠ %2</span>")
                                 .arg(cssColor(toneText(Tone::Error, palette())), problem.toHtmlEscaped()));
    } else if (!hint.isEmpty()) {
        row.message->setText(QStringLiteral("<span style=\"color:%1\">%2</span>")
                                 .arg(cssColor(toneText(Tone::Muted, palette())), hint.toHtmlEscaped()));
    } else {
        row.message->clear();
    }
    row.message->setVisible(!row.message->text().isEmpty());
}

QHash<QString, QString> ParameterForm::values() const
{
    QHash<QString, QString> result;
    for (const Row &row : m_fields)
        result.insert(row.key, row.field->value());
    return result;
}

QHash<QString, QString> ParameterForm::persistentValues() const
{
    QHash<QString, QString> result = values();
    for (const QString &key : m_sensitive)
        result.remove(key);
    return result;
}

void ParameterForm::setValues(const QHash<QString, QString> &values)
{
    m_loading = true;
    for (const Row &row : std::as_const(m_fields)) {
        const auto it = values.constFind(row.key);
        row.field->setValue(it != values.constEnd() ? *it : row.field->schema().defaultValue);
    }
    m_loading = false;
}

ParameterField *ParameterForm::field(const QString &key) const
{
    for (const Row &row : m_fields) {
        if (row.key == key)
            return row.field;
    }
    return nullptr;
}

QString ParameterForm::validationMessage(const QString &key) const
{
    const ParameterField *f = field(key);
    return f ? f->validationMessage() : QString();
}

bool ParameterForm::isValid() const
{
    return std::all_of(m_fields.begin(), m_fields.end(), [](const Row &row) { return row.field->validationMessage().isEmpty(); });
}

} // namespace portolan::gui
