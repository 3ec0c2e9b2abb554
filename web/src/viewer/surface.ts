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

export class SurfaceView {
  private scene?: SurfaceScene;
  private shown = 0;

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
  async show(scene: SurfaceScene): Promise<void> {
    this.scene = scene;
    this.shown = 0;
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
    this.showMap(0);
    this.plugin.canvas3d?.requestCameraReset();
  }

  /** Shows the i-th map of the scene (0 = input) and hides the others. */
  showMap(index: number): void {
    if (!this.scene) return;
    this.shown = index;
    this.scene.maps.forEach((_, i) => setSubtreeVisibility(this.plugin.state.data, surfaceRef(i), i !== index));
  }

  /** New contour level and/or colour range for every surface. */
  async restyle(changes: { level?: number; minScale?: number }): Promise<void> {
    if (!this.scene) return;
    this.scene = { ...this.scene, ...changes };
    const update = this.plugin.build();
    this.scene.maps.forEach((_, i) => update.to(surfaceRef(i)).update(this.representation(this.scene!)));
    await update.commit();
    this.showMap(this.shown);
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

function isSoftwareRenderer(gl: WebGLRenderingContext | WebGL2RenderingContext): boolean {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return /swiftshader|llvmpipe|software/i.test(renderer);
}

/** Mol* takes bytes backed by a plain ArrayBuffer (ours are; the type just cannot say so). */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
