export { ATTRIBUTES, METRICS, SPANS } from './names.js'
