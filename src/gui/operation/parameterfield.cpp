#include "parameterfield.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpressionValidator>

namespace portolan::gui {

ParameterField::ParameterField(const client::FieldSchema &schema, bool required, QWidget *parent)
    : QWidget(parent), m_schema(schema), m_required(required)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    if (!schema.enumValues.isEmpty() && schema.type != QLatin1String("array")) {
        m_choice = new QComboBox(this);
        if (!required || schema.defaultValue.isEmpty())
            m_choice->addItem(tr("(not set)"), QString());
        for (const QString &value : schema.enumValues)
            m_choice->addItem(value, value);
        m_choice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(m_choice, &QComboBox::currentIndexChanged, this, &ParameterField::valueChanged);
        layout->addWidget(m_choice);
        layout->addStretch();
    } else if (schema.type == QLatin1String("boolean")) {
        m_check = new QCheckBox(this);
        // Optional booleans have a third state, "not sent", distinct from false.
        m_check->setTristate(!required);
        m_check->setCheckState(required ? Qt::Unchecked : Qt::PartiallyChecked);
        m_check->setToolTip(required ? QString() : tr("Partly checked: not sent"));
        connect(m_check, &QCheckBox::stateChanged, this, &ParameterField::valueChanged);
        layout->addWidget(m_check);
        layout->addStretch();
    } else {
        m_line = new QLineEdit(this);
        QString placeholder;
        if (schema.type == QLatin1String("integer")) {
            m_line->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[+-]?\\d*")), m_line));
            placeholder = tr("integer");
        } else if (schema.type == QLatin1String("number")) {
            m_line->setValidator(new QRegularExpressionValidator(
                QRegularExpression(QStringLiteral("[+-]?\\d*(\\.\\d*)?([eE][+-]?\\d*)?")), m_line));
            placeholder = tr("number");
        } else if (schema.type == QLatin1String("array")) {
            const QString items = !schema.itemEnumValues.isEmpty() ? schema.itemEnumValues.join(QStringLiteral(" | "))
                                                                   : (schema.itemType.isEmpty() ? tr("value") : schema.itemType);
            placeholder = tr("comma-separated: %1, …").arg(items);
        } else if (schema.type == QLatin1String("object")) {
            placeholder = tr("key=value, …");
        } else {
            placeholder = schema.format.isEmpty() ? tr("string") : schema.format;
        }
        if (schema.minimum || schema.maximum) {
            placeholder += QStringLiteral("  [%1 … %2]")
                               .arg(schema.minimum ? QString::number(*schema.minimum) : QStringLiteral("−∞"),
                                    schema.maximum ? QString::number(*schema.maximum) : QStringLiteral("∞"));
        }
        m_line->setPlaceholderText(placeholder);
        m_line->setClearButtonEnabled(true);
        connect(m_line, &QLineEdit::textChanged, this, &ParameterField::valueChanged);
        layout->addWidget(m_line);
    }
    setValue(schema.defaultValue);
}

QWidget *ParameterField::editor() const
{
    if (m_choice)
        return m_choice;
    if (m_check)
        return m_check;
    return m_line;
}

void ParameterField::setAccessibleFieldName(const QString &name)
{
    editor()->setAccessibleName(name);
}

QString ParameterField::value() const
{
    if (m_choice)
        return m_choice->currentData().toString();
    if (m_check) {
        switch (m_check->checkState()) {
        case Qt::Checked:
            return QStringLiteral("true");
        case Qt::Unchecked:
            return QStringLiteral("false");
        default:
            return {};
        }
    }
    return m_line->text().trimmed();
}

void ParameterField::setValue(const QString &value)
{
    if (m_choice) {
        const int index = m_choice->findData(value);
        m_choice->setCurrentIndex(index >= 0 ? index : 0);
    } else if (m_check) {
        if (value == QLatin1String("true"))
            m_check->setCheckState(Qt::Checked);
        else if (value == QLatin1String("false") || m_required)
            m_check->setCheckState(Qt::Unchecked);
        else
            m_check->setCheckState(Qt::PartiallyChecked);
    } else {
        m_line->setText(value);
    }
}

QString ParameterField::validationMessage() const
{
    return client::validateField(m_schema, value(), m_required);
}

} // namespace portolan::gui
