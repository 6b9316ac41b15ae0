package io.isoflop.fitter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IsoFlopChartTest {

    @Test
    void budgetLabelKeepsTwoDigitsUnlessMoreTellBudgetsApart() {
        assertEquals("1.0e+16", IsoFlopChart.budgetLabel(1e16));
        assertEquals("3.0e+11", IsoFlopChart.budgetLabel(3e11));
        assertEquals("1.23e+16", IsoFlopChart.budgetLabel(1.23e16));
        assertEquals("1.24e+16", IsoFlopChart.budgetLabel(1.24e16));
        assertEquals(12345.678, Double.parseDouble(IsoFlopChart.budgetLabel(12345.678)));
    }
}
