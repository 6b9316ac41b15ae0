package io.isoflop.fitter.report;

import java.awt.Color;

/** One colour per budget, shared by the charts so a budget looks the same everywhere. */
final class ChartPalette {
    private static final Color[] COLOURS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf),
    };
    static final Color EXCLUDED = new Color(0x999999);

    private ChartPalette() {}

    static Color budget(int index) {
        return COLOURS[index % COLOURS.length];
    }
}
