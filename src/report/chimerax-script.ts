/**
 * The ChimeraX script (METHOD.md §11): the input coloured by the local scale, modified maps on the same
 * contour, an `occupy_level` alias to move all contours together, the full-scale tiles as spheres, a colour key.
 * Model numbering and wording follow the published program, so scripts and habits carry over.
 */
import { OCCUPY_PALETTE } from './palette.js';
import { fixedLikePython, reprLikePython } from './python-format.js';

export interface ChimeraxScriptInput {
  inputMap: string;
  scaleMap: string;
  /** Modified maps, in the order amplify, attenuate, sigmoid, solvent-excluded copy. */
  modifiedMaps: string[];
  /** Contour of the input and modified maps: `(s_max + solvent_edge) / 2`. */
  mapLevel: number;
  /** Contour of the scale map: the variability limit. */
  scaleLevel: number;
  minVisScale: number;
  /** Max and min tile centres (Å, x y z) and sphere radius (Å); absent for `--S0`. */
  tiles?: { max: [number, number, number]; min: [number, number, number]; radius: number };
  warning?: string;
  /** The variant that saves four rotated PNG views and exits. */
  silent?: boolean;
  /** Stem for the PNG views of the silent variant. */
  viewStem?: string;
}

function paletteArgument(): string {
  const stops = OCCUPY_PALETTE.map((c, i) => `${fixedLikePython(i / (OCCUPY_PALETTE.length - 1), 2)},${c}`);
  return `'${stops.join(':')}'`;
}

export function chimeraxScript(s: ChimeraxScriptInput): string {
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  const palette = paletteArgument();
  const keyLabels = OCCUPY_PALETTE.map(
    (_, i) => ` :${fixedLikePython(s.minVisScale + ((1 - s.minVisScale) * i) / (OCCUPY_PALETTE.length - 1), 2)}`,
  ).join('');

  out(`open "${s.inputMap}"`);
  out(`vol #1 style surface region all level ${reprLikePython(s.mapLevel)}`);
  out(`open "${s.scaleMap}" `);
  out(`vol #2 level ${reprLikePython(s.scaleLevel)}`);
  out('hide #2 ');
  out(`alias scale_color color sample $1 map $2 palette ${palette} range ${reprLikePython(s.minVisScale)},1.0 \n`);
  out(`alias set_scale_color_range color sample $1 map $2 palette ${palette} range ${reprLikePython(s.minVisScale)},1.0 \n`);
  out('volume #1 color #d3d7cf \n');
  out('volume #2 color #A7A7A750 \n');
  out('volume #2 style mesh \n');
  out('scale_color #1 #2 \n');

  let model = 2;
  for (const map of s.modifiedMaps) {
    model++;
    out(`open "${map}"`);
    out(`scale_color #${model} #2 \n`);
    out(`vol #${model} level ${reprLikePython(s.mapLevel)}`);
    out(`hide #${model}`);
  }
  const levelModels = ['#1', ...s.modifiedMaps.map((_, i) => String(i + 3))].join(',');
  out(`alias occupy_level vol ${levelModels} level $1 \n`);

  if (s.tiles) {
    const { max, min, radius } = s.tiles;
    out(`alias show_max_tile shape sphere center ${max.map(reprLikePython).join(', ')} radius ${reprLikePython(radius)}  \n`);
    out(`alias show_min_tile shape sphere center ${min.map(reprLikePython).join(', ')} radius ${reprLikePython(radius)}  \n`);
    out('show_max_tile \n');
    model++;
    out(`rename  #${model} maxTile id #${model}.1`);
    out('show_min_tile \n');
    out(`rename  #${model + 1} minTile id #${model}.2`);
    out(`color #${model}.1 #4d6edf54 `);
    out(`color #${model}.2 #cc392054 `);
    out(`hide #${model}`);
    out(`rename  #${model} Tiles`);
  }
  out(`key ${palette}  ${keyLabels} size 0.5, 0.04 pos 0.25, 0.08 ticks true tickThickness 2 fontSize 20\n`);
  out('lighting soft \n');
  out('set bgColor white');
  out('tool hide log');
  if (s.warning) {
    const size = s.silent ? 4 : 20;
    const pos = s.silent ? 'x .05 y .95' : 'x .05 y .3';
    out(`2dlab text "${s.warning.replace(/"/g, "'")}" color black size ${size} ${pos} bold true`);
  }
  if (s.silent) {
    const stem = s.viewStem ?? 'occupy';
    // The views show the first modified map when there is one (opened hidden above), else the input.
    if (s.modifiedMaps.length > 0) {
      out('hide  #1');
      out('show  #3');
    }
    out('hide  #2');
    for (let view = 1; view <= 4; view++) {
      if (view > 1) {
        out('turn x 75');
        out('turn y 35');
        out('view');
      }
      out(`save ${stem}_rot${view}.png supersample 3 width 600 height 600 `);
    }
    out('exit');
  } else {
    out('camera ortho');
  }
  return lines.join('\n') + '\n';
}

/**
 * Tile centre in Å in the input's frame, where ChimeraX draws it. The centre is in array order (section, row,
 * column); file axis f (0 = columns, 1 = rows, 2 = sections) is array axis 2 − f and lies along spatial axis
 * `axisOrder[f]` (MRC's mapc, mapr, maps). The position is scaled back from the processing box, then placed as
 * ChimeraX places the map: from the header's origin (x, y, z in Å) when it is set (not all zero) and usable
 * (finite, and not so large that a voxel step is lost in it, as RELION 2.0's uninitialised ones are), and
 * otherwise from the start indices (nxstart, nystart, nzstart, per file axis).
 *
 * The published program permutes with the inverse of the axis order, adds the start indices per spatial axis
 * and ignores the origin; the two agree for the usual order 1, 2, 3 with a zero origin (every fixture) but not
 * for 2, 1, 3 or 1, 3, 2, where its spheres land on swapped axes. This places them where the tiles are.
 */
export function tileCentreAngstrom(
  centreZYX: readonly number[],
  geometry: { axisOrder: readonly [number, number, number]; start: readonly [number, number, number]; origin: readonly [number, number, number] },
  inputVoxelSize: number,
  processingFactor: number,
): [number, number, number] {
  const { axisOrder, start, origin } = geometry;
  const useOrigin = origin.some((o) => o !== 0) && origin.every((o) => Number.isFinite(o) && o + inputVoxelSize !== o);
  const xyz: [number, number, number] = [0, 0, 0];
  for (let f = 0; f < 3; f++) {
    const axis = axisOrder[f] - 1;
    const index = centreZYX[2 - f] / processingFactor;
    xyz[axis] = useOrigin ? origin[axis] + inputVoxelSize * index : inputVoxelSize * (index + start[f]);
  }
  return xyz;
}
