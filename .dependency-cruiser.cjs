// skybook's layering, checked by dependency-cruiser in `npm test` (docs/api.md, "Layers").
// Imports only go down this list; a folder reaches another folder only through its index.ts (its contract).
// Folders on one line are siblings and may not import each other.
const LAYERS = [
  ['errors'],
  ['core'],
  ['cosmo'],
  ['fits'],
  ['desi'],
  ['store'],
  ['quasar', 'voids', 'cloudy'],
  ['datasets'],
  ['ray'],
  ['notebook'],
  ['provenance'],
  ['pipeline'],
  ['viz'],
  ['cli'],
];

const alt = (names) => `(${names.join('|')})`;

const layerRules = LAYERS.map((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  const siblings = layer.length > 1;
  return {
    name: `layer-${layer.join('-')}`,
    comment: `lib/${layer.join(', lib/')} may import only layers below it: ${LAYERS.slice(0, i).flat().join(', ') || 'none'}`,
    severity: 'error',
    from: { path: `^lib/${alt(layer)}/` },
    to: {
      path: `^lib/${alt([...above, ...(siblings ? layer : [])])}/`,
      // A folder's own files are its own business.
      pathNot: '^lib/$1/',
    },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'folder-contract',
      comment: "another folder is reached only through its index.ts (lib/X/index.ts), never an inner file",
      severity: 'error',
      from: { path: '^lib/([^/]+)/' },
      to: { path: '^lib/[^/]+/.+', pathNot: ['^lib/$1/', '^lib/[^/]+/index\\.ts$'] },
    },
    {
      name: 'entry-contract',
      comment: 'kernel/ and scripts/ reach the library only through lib/index.ts or a folder\'s index.ts',
      severity: 'error',
      from: { path: '^(kernel|scripts)/' },
      to: { path: '^lib/[^/]+/.+', pathNot: '^lib/[^/]+/index\\.ts$' },
    },
    {
      name: 'library-stays-below',
      comment: 'lib/ never imports the kernel, scripts, benchmarks or tests',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(kernel|scripts|bench|test)/' },
    },
    {
      name: 'root-is-for-users',
      comment: "lib/index.ts is the package's public face; inside lib/, import the folder you need",
      severity: 'error',
      from: { path: '^lib/[^/]+/' },
      to: { path: '^lib/index\\.ts$' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
