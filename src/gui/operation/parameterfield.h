#pragma once

#include "parameterschema.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace portolan::gui {

// One editor generated from a schema: a choice for enums, a check box for
// booleans, a validated line for numbers, a comma-separated line for arrays
// and a plain line otherwise. Values are exchanged as text ("" = not set),
// the form they take in a request.
class ParameterField : public QWidget {
    Q_OBJECT
public:
    ParameterField(const client::FieldSchema &schema, bool required, QWidget *parent = nullptr);

    QString value() const;
    void setValue(const QString &value);
    // Why the current value is not acceptable, or empty.
    QString validationMessage() const;
    const client::FieldSchema &schema() const { return m_schema; }
    void setAccessibleFieldName(const QString &name);
    QWidget *editor() const;

Q_SIGNALS:
    void valueChanged();

private:
    client::FieldSchema m_schema;
    bool m_required;
    QComboBox *m_choice = nullptr;  // enums; owned by this
    QCheckBox *m_check = nullptr;   // booleans; owned by this
    QLineEdit *m_line = nullptr;    // everything else; owned by this
};

} // namespace portolan::gui
