/**
 * The 3D view: the map's iso-surface coloured by the local scale with the OccuPy palette, as the CLI's
 * ChimeraX script does (`color sample #1 map #2 palette … range <min>,1`), drawn by Mol*.
 *
 * Mol* reads the maps as MRC bytes (the same bytes the app offers for download, so the view shows exactly
 * those files) and places each by its header, so the scale map, written at the processing box, overlays the
 * input wherever §2 down-sampled it. Colouring one volume's surface by another's values is Mol*'s
 * `external-volume` colour theme, which samples the scale map (trilinearly) at every surface vertex.
 *
 * This module is loaded on demand (Mol* is large): only when the 3D tab is first opened.
 */
import { PluginContext } from 'molstar/lib/mol-plugin/context.js';
import { DefaultPluginSpec } from 'molstar/lib/mol-plugin/spec.js';
import { StateTransforms } from 'molstar/lib/mol-plugin-state/transforms.js';
import { setSubtreeVisibility } from 'molstar/lib/mol-plugin/behavior/static/state.js';
import { Volume } from 'molstar/lib/mol-model/volume.js';
import { Color } from 'molstar/lib/mol-util/color/index.js';
import { OCCUPY_PALETTE } from '../../../src/report/palette.js';

export interface SurfaceMap {
  /** Shown in the map chooser and given to Mol* as the data label. */
  label: string;
  /** MRC file bytes. */
  bytes: Uint8Array;
}

export interface SurfaceScene {
  /** The input first, then the modified maps; one is shown at a time. */
  maps: SurfaceMap[];
  /** Colours the surfaces; without it they are drawn in one neutral colour. */
  scale?: SurfaceMap;
  level: number;
  minScale: number;
}

const SCALE_REF = 'occupy-scale';
const NEUTRAL = Color(0xb0b0b0);
const surfaceRef = (i: number) => `occupy-surface-${i}`;

/** What one surface of the scene is drawn with, read back from the Mol* state (for tests and diagnostics). */
export interface SurfaceDrawn {
  /** The contour level of the representation's parameters and of the geometry Mol* computed from them. */
  level: number;
  /** The low end of the colour range (undefined without a scale map). */
  minScale?: number;
  /** Mol*'s version of the representation's parameters: it changes whenever they are updated. */
  version: string;
  hidden: boolean;
}

export class SurfaceView {
  private scene?: SurfaceScene;
  private shown = 0;
  /**
   * Surfaces whose contour level or colour range lags behind the scene's. Only the shown surface is
   * recomputed when the style changes (recomputing all made a contour change on a large map with modified
   * maps take tens of seconds); a stale one is brought up to date when it is shown.
   */
  private readonly stale = new Set<number>();
  /** Mol* state updates run one after another, in the order asked for. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly plugin: PluginContext) {}

  /** A Mol* canvas inside `container` (which must be visible and sized). */
  static async create(container: HTMLDivElement): Promise<SurfaceView> {
    const canvas = document.createElement('canvas');
    container.appendChild(canvas);
    const plugin = new PluginContext(DefaultPluginSpec());
    await plugin.init();
    if (!(await plugin.initViewerAsync(canvas, container))) throw new Error('WebGL is not available in this browser: the 3D view cannot be drawn.');
    // White background and an orthographic camera, as the CLI's ChimeraX script sets up.
    plugin.canvas3d?.setProps({ renderer: { backgroundColor: Color(0xffffff) }, camera: { mode: 'orthographic' } });
    if (plugin.canvas3d && isSoftwareRenderer(plugin.canvas3d.webgl.gl)) {
      // Without a GPU (SwiftShader, llvmpipe) ambient occlusion and temporal multi-sampling cost seconds per
      // frame and starve the page; plain shading keeps the view usable.
      plugin.canvas3d.setProps({ postprocessing: { occlusion: { name: 'off', params: {} } }, multiSample: { mode: 'off' } });
    }
    return new SurfaceView(plugin);
  }

  /** Replaces whatever is shown with `scene`; the camera is reset to fit the map. */
  show(scene: SurfaceScene): Promise<void> {
    return this.serially(async () => {
      this.scene = scene;
      this.shown = 0;
      this.stale.clear();
      await this.plugin.clear();
      const build = this.plugin.build();
      if (scene.scale) {
        build
          .toRoot()
          .apply(StateTransforms.Data.RawData, { data: ownBuffer(scene.scale.bytes), label: scene.scale.label })
          .apply(StateTransforms.Data.ParseCcp4)
          .apply(StateTransforms.Volume.VolumeFromCcp4, {}, { ref: SCALE_REF });
      }
      scene.maps.forEach((map, i) => {
        build
          .toRoot()
          .apply(StateTransforms.Data.RawData, { data: ownBuffer(map.bytes), label: map.label })
          .apply(StateTransforms.Data.ParseCcp4)
          .apply(StateTransforms.Volume.VolumeFromCcp4)
          .apply(StateTransforms.Representation.VolumeRepresentation3D, this.representation(scene), {
            ref: surfaceRef(i),
            dependsOn: scene.scale ? [SCALE_REF] : undefined,
          });
      });
      await build.commit();
      this.setVisibility();
      this.plugin.canvas3d?.requestCameraReset();
    });
  }

  /**
   * A new contour level and/or colour range, and/or another map to show (0 = input): only the surface that
   * ends up shown is recomputed, if its style lags behind; the others are marked stale and recomputed when
   * shown. Until it is ready, the previously shown surface stays in view.
   */
  update(changes: { map?: number; level?: number; minScale?: number }): Promise<void> {
    return this.serially(async () => {
      if (!this.scene) return;
      const { map, ...style } = changes;
      const restyled = (style.level !== undefined && style.level !== this.scene.level) || (style.minScale !== undefined && style.minScale !== this.scene.minScale);
      if (restyled) {
        this.scene = { ...this.scene, level: style.level ?? this.scene.level, minScale: style.minScale ?? this.scene.minScale };
        this.scene.maps.forEach((_, i) => this.stale.add(i));
      }
      if (map !== undefined && map >= 0 && map < this.scene.maps.length) this.shown = map;
      if (this.stale.has(this.shown)) {
        await this.plugin.build().to(surfaceRef(this.shown)).update(this.representation(this.scene)).commit();
        this.stale.delete(this.shown);
      }
      this.setVisibility();
    });
  }

  /** Each surface of the scene as Mol* holds it: what the view draws, or will draw when it is shown. */
  drawn(): SurfaceDrawn[] {
    return (this.scene?.maps ?? []).map((_, i) => {
      const cell = this.plugin.state.data.cells.get(surfaceRef(i));
      const params = cell?.transform.params as RepresentationParams | undefined;
      const repr = (cell?.obj?.data as { repr?: { props?: { isoValue?: Volume.IsoValue } } } | undefined)?.repr;
      const fromParams = isoLevel(params?.type.params.isoValue);
      const computed = isoLevel(repr?.props?.isoValue);
      return {
        // A representation whose geometry was not recomputed after its parameters changed would show up here.
        level: computed === fromParams ? fromParams : NaN,
        minScale: params?.colorTheme.params.coloring?.params.domain.params[0],
        version: cell?.transform.version ?? '',
        hidden: Boolean(cell?.state.isHidden),
      };
    });
  }

  /** The view as a PNG, at the canvas's size. */
  async png(): Promise<Blob> {
    const helper = this.plugin.helpers.viewportScreenshot;
    if (!helper) throw new Error('the 3D view is not ready');
    const uri = await helper.getImageDataUri();
    return (await fetch(uri)).blob();
  }

  resize(): void {
    this.plugin.handleResize();
  }

  dispose(): void {
    this.plugin.dispose();
  }

  private setVisibility(): void {
    this.scene?.maps.forEach((_, i) => setSubtreeVisibility(this.plugin.state.data, surfaceRef(i), i !== this.shown));
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private representation(scene: SurfaceScene) {
    const isosurface = {
      name: 'isosurface',
      // CPU meshes: the external-volume theme iterates vertices on the CPU anyway, and software WebGL (no GPU)
      // handles them more reliably than Mol*'s GPU marching cubes.
      params: { isoValue: Volume.IsoValue.absolute(scene.level), tryUseGpu: false, alpha: 1 },
    };
    const colorTheme = scene.scale
      ? {
          name: 'external-volume',
          params: {
            volume: { ref: SCALE_REF, getValue: () => undefined },
            coloring: {
              name: 'absolute-value',
              params: {
                domain: { name: 'custom', params: [scene.minScale, 1] },
                list: { kind: 'interpolate', colors: OCCUPY_PALETTE.map((c) => Color.fromHexStyle(c)) },
              },
            },
            defaultColor: NEUTRAL,
            normalOffset: 0,
            usePalette: false,
          },
        }
      : { name: 'uniform', params: { value: NEUTRAL } };
    // Mol*'s parameter types are generated per registry entry; these objects follow its documented shapes.
    return { type: isosurface, colorTheme, sizeTheme: { name: 'uniform', params: {} } } as never;
  }
}

/** The parts of the representation's parameters `drawn()` reads back (see `representation`). */
interface RepresentationParams {
  type: { params: { isoValue?: Volume.IsoValue } };
  colorTheme: { params: { coloring?: { params: { domain: { params: [number, number] } } } } };
}

function isoLevel(value: Volume.IsoValue | undefined): number {
  return value?.kind === 'absolute' ? value.absoluteValue : NaN;
}

function isSoftwareRenderer(gl: WebGLRenderingContext | WebGL2RenderingContext): boolean {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return /swiftshader|llvmpipe|software/i.test(renderer);
}

/** Mol* takes bytes backed by a plain ArrayBuffer (ours are; the type just cannot say so). */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
