/**
 * `--plot`: the run's SVG figures (src/report/plots) rendered to PNG by resvg with the system's fonts.
 * resvg is loaded only when a figure is drawn, so runs without --plot do not pay for it.
 */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const rendered = new Resvg(svg, { fitTo: { mode: 'zoom', value: 1.5 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return rendered.render().asPng();
}
